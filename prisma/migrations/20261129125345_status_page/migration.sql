-- CreateEnum
CREATE TYPE "PublicHealth" AS ENUM ('operational', 'degraded', 'partial_outage', 'major_outage', 'maintenance');

-- AlterTable
ALTER TABLE "cutovers" ADD COLUMN     "status_page_enabled" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "status_slug" TEXT,
ADD COLUMN     "status_title" TEXT;

-- CreateTable
CREATE TABLE "status_updates" (
    "id" UUID NOT NULL,
    "cutover_id" UUID NOT NULL,
    "body" TEXT NOT NULL,
    "health" "PublicHealth" NOT NULL,
    "figures" JSONB NOT NULL DEFAULT '[]',
    "next_update_at" TIMESTAMPTZ(3),
    "published_by_id" UUID NOT NULL,
    "published_by_name" TEXT NOT NULL,
    "published_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "retracted_at" TIMESTAMPTZ(3),
    "retracted_by_name" TEXT,

    CONSTRAINT "status_updates_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "status_updates_cutover_id_published_at_idx" ON "status_updates"("cutover_id", "published_at");

-- CreateIndex
CREATE UNIQUE INDEX "cutovers_status_slug_key" ON "cutovers"("status_slug");

-- AddForeignKey
ALTER TABLE "status_updates" ADD CONSTRAINT "status_updates_cutover_id_fkey" FOREIGN KEY ("cutover_id") REFERENCES "cutovers"("id") ON DELETE CASCADE ON UPDATE CASCADE;
