-- AlterTable
ALTER TABLE "cutovers" ADD COLUMN     "announcement_templates" JSONB NOT NULL DEFAULT '[]';
