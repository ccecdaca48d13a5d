-- AlterTable
ALTER TABLE "cutovers" ADD COLUMN     "sample_retention_days" INTEGER NOT NULL DEFAULT 14;

-- AlterTable
ALTER TABLE "rollback_triggers" ADD COLUMN     "consecutive_errors" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "enabled" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "last_breach_at" TIMESTAMPTZ(3),
ADD COLUMN     "last_evaluated_at" TIMESTAMPTZ(3),
ADD COLUMN     "last_outcome" TEXT;

-- One running rollback per cutover: a second request joins the running one instead of starting
-- another (the insert fails on this index and the caller reads the running row).
CREATE UNIQUE INDEX "rollbacks_one_running_per_cutover" ON "rollbacks"("cutover_id") WHERE "state" = 'running';
