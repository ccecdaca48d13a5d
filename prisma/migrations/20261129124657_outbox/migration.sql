-- CreateEnum
CREATE TYPE "DeliveryState" AS ENUM ('queued', 'sending', 'delivered', 'failed');

-- AlterEnum
ALTER TYPE "IntegrationType" ADD VALUE 'channel';

-- AlterTable
ALTER TABLE "cutovers" ADD COLUMN     "notify_channels" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- CreateTable
CREATE TABLE "deliveries" (
    "id" UUID NOT NULL,
    "cutover_id" UUID,
    "channel" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "message" JSONB NOT NULL,
    "recipient" TEXT,
    "state" "DeliveryState" NOT NULL DEFAULT 'queued',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_error" TEXT,
    "created_by" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "delivered_at" TIMESTAMPTZ(3),

    CONSTRAINT "deliveries_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "deliveries_state_next_attempt_at_idx" ON "deliveries"("state", "next_attempt_at");

-- CreateIndex
CREATE INDEX "deliveries_cutover_id_created_at_idx" ON "deliveries"("cutover_id", "created_at");

-- AddForeignKey
ALTER TABLE "deliveries" ADD CONSTRAINT "deliveries_cutover_id_fkey" FOREIGN KEY ("cutover_id") REFERENCES "cutovers"("id") ON DELETE CASCADE ON UPDATE CASCADE;
