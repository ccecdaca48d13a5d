-- CreateEnum
CREATE TYPE "TriggerConditionKind" AS ENUM ('metric', 'alert');

-- CreateEnum
CREATE TYPE "AlertStatus" AS ENUM ('firing', 'resolved');

-- AlterTable
ALTER TABLE "rollback_triggers" ADD COLUMN     "alert_name" TEXT,
ADD COLUMN     "condition_kind" "TriggerConditionKind" NOT NULL DEFAULT 'metric',
ALTER COLUMN "metric_id" DROP NOT NULL;

-- CreateTable
CREATE TABLE "alertmanager_tokens" (
    "id" UUID NOT NULL,
    "cutover_id" UUID NOT NULL,
    "token_hash" TEXT NOT NULL,
    "created_by" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_used_at" TIMESTAMPTZ(3),
    "revoked_at" TIMESTAMPTZ(3),

    CONSTRAINT "alertmanager_tokens_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "alerts" (
    "id" UUID NOT NULL,
    "cutover_id" UUID NOT NULL,
    "fingerprint" TEXT NOT NULL,
    "alertname" TEXT NOT NULL,
    "severity" TEXT,
    "status" "AlertStatus" NOT NULL,
    "summary" TEXT,
    "description" TEXT,
    "labels" JSONB NOT NULL DEFAULT '{}',
    "starts_at" TIMESTAMPTZ(3) NOT NULL,
    "ends_at" TIMESTAMPTZ(3),
    "last_seen_at" TIMESTAMPTZ(3) NOT NULL,
    "changed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "alerts_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "alertmanager_tokens_token_hash_key" ON "alertmanager_tokens"("token_hash");

-- CreateIndex
CREATE INDEX "alertmanager_tokens_cutover_id_idx" ON "alertmanager_tokens"("cutover_id");

-- CreateIndex
CREATE INDEX "alerts_cutover_id_status_alertname_idx" ON "alerts"("cutover_id", "status", "alertname");

-- CreateIndex
CREATE UNIQUE INDEX "alerts_cutover_id_fingerprint_key" ON "alerts"("cutover_id", "fingerprint");

-- AddForeignKey
ALTER TABLE "alertmanager_tokens" ADD CONSTRAINT "alertmanager_tokens_cutover_id_fkey" FOREIGN KEY ("cutover_id") REFERENCES "cutovers"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "alerts" ADD CONSTRAINT "alerts_cutover_id_fkey" FOREIGN KEY ("cutover_id") REFERENCES "cutovers"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- A trigger watches exactly what its kind names.
ALTER TABLE "rollback_triggers" ADD CONSTRAINT "rollback_triggers_condition_check" CHECK (("condition_kind" = 'metric' AND "metric_id" IS NOT NULL) OR ("condition_kind" = 'alert' AND "alert_name" IS NOT NULL));
