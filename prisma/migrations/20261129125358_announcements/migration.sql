-- CreateEnum
CREATE TYPE "AnnouncementKind" AS ENUM ('go_live', 'rollback', 'status_update', 'maintenance', 'custom');

-- CreateEnum
CREATE TYPE "AnnouncementEvent" AS ENUM ('rollback_started', 'rollback_completed', 'trigger_fired', 'decision_closed', 'cutover_started', 'cutover_completed', 'cutover_aborted');

-- CreateEnum
CREATE TYPE "AnnouncementBindingMode" AS ENUM ('recommend', 'automatic');

-- CreateEnum
CREATE TYPE "AnnouncementFiringState" AS ENUM ('pending', 'sent', 'dismissed');

-- AlterTable
ALTER TABLE "cutovers" ADD COLUMN     "announcements_seeded" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "update_interval_minutes" INTEGER NOT NULL DEFAULT 30;

-- CreateTable
-- The primary keys are declared on their columns (the same constraint names as Prisma's).
CREATE TABLE "announcement_templates" (
    "id" UUID NOT NULL CONSTRAINT "announcement_templates_pkey" PRIMARY KEY,
    "cutover_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "kind" "AnnouncementKind" NOT NULL,
    "title" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "binding_event" "AnnouncementEvent",
    "binding_mode" "AnnouncementBindingMode" NOT NULL DEFAULT 'recommend',
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "position" INTEGER NOT NULL DEFAULT 0,
    "version" INTEGER NOT NULL DEFAULT 0,
    "last_sent_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL
);

-- CreateTable
CREATE TABLE "announcement_firings" (
    "id" UUID NOT NULL CONSTRAINT "announcement_firings_pkey" PRIMARY KEY,
    "cutover_id" UUID NOT NULL,
    "template_id" UUID NOT NULL,
    "audit_event_id" BIGINT NOT NULL,
    "event" "AnnouncementEvent" NOT NULL,
    "mode" "AnnouncementBindingMode" NOT NULL,
    "reason" TEXT,
    "state" "AnnouncementFiringState" NOT NULL DEFAULT 'pending',
    "closed_by" TEXT,
    "closed_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "job_cursors" (
    "name" TEXT NOT NULL CONSTRAINT "job_cursors_pkey" PRIMARY KEY,
    "position" BIGINT NOT NULL DEFAULT 0,
    "updated_at" TIMESTAMPTZ(3) NOT NULL
);

-- CreateIndex
CREATE UNIQUE INDEX "announcement_templates_cutover_id_name_key" ON "announcement_templates"("cutover_id", "name");

-- CreateIndex
CREATE INDEX "announcement_firings_cutover_id_state_idx" ON "announcement_firings"("cutover_id", "state");

-- CreateIndex
CREATE UNIQUE INDEX "announcement_firings_template_id_audit_event_id_key" ON "announcement_firings"("template_id", "audit_event_id");

-- AddForeignKey
ALTER TABLE "announcement_templates" ADD CONSTRAINT "announcement_templates_cutover_id_fkey" FOREIGN KEY ("cutover_id") REFERENCES "cutovers"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "announcement_firings" ADD CONSTRAINT "announcement_firings_cutover_id_fkey" FOREIGN KEY ("cutover_id") REFERENCES "cutovers"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "announcement_firings" ADD CONSTRAINT "announcement_firings_template_id_fkey" FOREIGN KEY ("template_id") REFERENCES "announcement_templates"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- The bindings follow the audit log from now on: what was recorded before announces nothing.
INSERT INTO "job_cursors" ("name", "position", "updated_at") SELECT 'announcement-bindings', COALESCE(MAX("id"), 0), CURRENT_TIMESTAMP FROM "audit_events";
