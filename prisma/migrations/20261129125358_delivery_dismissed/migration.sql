-- AlterTable
ALTER TABLE "deliveries" ADD COLUMN     "dismissed_at" TIMESTAMPTZ(3);
