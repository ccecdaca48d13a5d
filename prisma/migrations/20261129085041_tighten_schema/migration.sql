-- CreateEnum
CREATE TYPE "TriggerSystem" AS ENUM ('old', 'new');

-- CreateEnum
CREATE TYPE "TriggerErrorPolicy" AS ENUM ('pause', 'rollback_after');

-- CreateEnum
CREATE TYPE "SampleStatus" AS ENUM ('ok', 'no_data', 'error');

-- CreateEnum
CREATE TYPE "RollbackState" AS ENUM ('running', 'completed', 'completed_with_errors', 'failed', 'abandoned');

-- CreateEnum
CREATE TYPE "IntegrationType" AS ENUM ('router', 'hook', 'prometheus');

-- AlterTable: ended_at was written on rollback only and never read.
ALTER TABLE "cutovers" DROP COLUMN "ended_at";

-- Loose strings become the enums the code already uses. The values are converted in place
-- (USING ...::enum): a value outside the enum stops the migration instead of being lost.

-- AlterTable
ALTER TABLE "metric_samples" ALTER COLUMN "system" TYPE "MetricSystem" USING "system"::"MetricSystem",
ALTER COLUMN "status" TYPE "SampleStatus" USING "status"::"SampleStatus";

-- AlterTable: no_data_policy was always "pause" and never read; last_evaluated_at never read.
ALTER TABLE "rollback_triggers" DROP COLUMN "last_evaluated_at",
DROP COLUMN "no_data_policy",
ALTER COLUMN "system" DROP DEFAULT,
ALTER COLUMN "system" TYPE "TriggerSystem" USING "system"::"TriggerSystem",
ALTER COLUMN "system" SET DEFAULT 'new',
ALTER COLUMN "error_policy" DROP DEFAULT,
ALTER COLUMN "error_policy" TYPE "TriggerErrorPolicy" USING "error_policy"::"TriggerErrorPolicy",
ALTER COLUMN "error_policy" SET DEFAULT 'pause';

-- Prisma has no enum for operators: the comparison is bounded by a check instead.
ALTER TABLE "rollback_triggers" ADD CONSTRAINT "rollback_triggers_comparison_check" CHECK ("comparison" IN ('<', '<=', '>', '>='));

-- AlterTable: the partial index "one running rollback per cutover" compares state with a text
-- literal; it is rebuilt over the enum (same name, same predicate).
DROP INDEX "rollbacks_one_running_per_cutover";
ALTER TABLE "rollbacks" ALTER COLUMN "state" TYPE "RollbackState" USING "state"::"RollbackState";
CREATE UNIQUE INDEX "rollbacks_one_running_per_cutover" ON "rollbacks"("cutover_id") WHERE "state" = 'running';

-- AlterTable
ALTER TABLE "integrations" ALTER COLUMN "type" TYPE "IntegrationType" USING "type"::"IntegrationType";

-- Ids that point nowhere (their user, trigger or decision was deleted) are cleared before the
-- foreign keys that will keep them from dangling again; a gate of a deleted cutover goes.
UPDATE "traffic_steps" SET "decision_id" = NULL WHERE "decision_id" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "decision_points" d WHERE d."id" = "traffic_steps"."decision_id");
UPDATE "traffic_changes" SET "user_id" = NULL WHERE "user_id" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "users" u WHERE u."id" = "traffic_changes"."user_id");
UPDATE "traffic_changes" SET "trigger_id" = NULL WHERE "trigger_id" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "rollback_triggers" t WHERE t."id" = "traffic_changes"."trigger_id");
UPDATE "rollbacks" SET "user_id" = NULL WHERE "user_id" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "users" u WHERE u."id" = "rollbacks"."user_id");
UPDATE "rollbacks" SET "trigger_id" = NULL WHERE "trigger_id" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "rollback_triggers" t WHERE t."id" = "rollbacks"."trigger_id");
UPDATE "invites" SET "created_by_id" = NULL WHERE "created_by_id" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "users" u WHERE u."id" = "invites"."created_by_id");
UPDATE "integrations" SET "created_by_id" = NULL WHERE "created_by_id" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "users" u WHERE u."id" = "integrations"."created_by_id");
DELETE FROM "metric_gates" WHERE NOT EXISTS (SELECT 1 FROM "cutovers" c WHERE c."id" = "metric_gates"."cutover_id");

-- CreateIndex
CREATE INDEX "invites_created_by_id_idx" ON "invites"("created_by_id");

-- CreateIndex
CREATE INDEX "integrations_created_by_id_idx" ON "integrations"("created_by_id");

-- AddForeignKey
ALTER TABLE "metric_gates" ADD CONSTRAINT "metric_gates_cutover_id_fkey" FOREIGN KEY ("cutover_id") REFERENCES "cutovers"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "traffic_steps" ADD CONSTRAINT "traffic_steps_decision_id_fkey" FOREIGN KEY ("decision_id") REFERENCES "decision_points"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "traffic_changes" ADD CONSTRAINT "traffic_changes_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "traffic_changes" ADD CONSTRAINT "traffic_changes_trigger_id_fkey" FOREIGN KEY ("trigger_id") REFERENCES "rollback_triggers"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "rollbacks" ADD CONSTRAINT "rollbacks_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "rollbacks" ADD CONSTRAINT "rollbacks_trigger_id_fkey" FOREIGN KEY ("trigger_id") REFERENCES "rollback_triggers"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "invites" ADD CONSTRAINT "invites_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "integrations" ADD CONSTRAINT "integrations_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;
