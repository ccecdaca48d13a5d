-- AlterTable
ALTER TABLE "sections" ADD COLUMN     "notes" TEXT[] DEFAULT ARRAY[]::TEXT[];
