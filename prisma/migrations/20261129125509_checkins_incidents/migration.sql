-- CreateEnum
CREATE TYPE "CheckInState" AS ENUM ('due', 'acknowledged');

-- AlterTable
ALTER TABLE "cutovers" ADD COLUMN     "checkin_cadence" JSONB;

-- CreateTable
CREATE TABLE "checkins" (
    "id" UUID NOT NULL,
    "cutover_id" UUID NOT NULL,
    "due_at" TIMESTAMPTZ(3) NOT NULL,
    "overdue_at" TIMESTAMPTZ(3) NOT NULL,
    "role" "Role" NOT NULL,
    "state" "CheckInState" NOT NULL DEFAULT 'due',
    "acknowledged_by_id" UUID,
    "acknowledged_by" TEXT,
    "acknowledged_at" TIMESTAMPTZ(3),
    "note" TEXT,
    "overdue_recorded_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "checkins_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "incidents" (
    "id" UUID NOT NULL,
    "cutover_id" UUID NOT NULL,
    "subject" TEXT NOT NULL,
    "open_subject" TEXT,
    "severity" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "opened_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "acknowledged_by_id" UUID,
    "acknowledged_by" TEXT,
    "acknowledged_at" TIMESTAMPTZ(3),
    "note" TEXT,
    "level_reached" INTEGER NOT NULL DEFAULT 0,
    "resolved_at" TIMESTAMPTZ(3),

    CONSTRAINT "incidents_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "checkins_state_overdue_at_idx" ON "checkins"("state", "overdue_at");

-- CreateIndex
CREATE UNIQUE INDEX "checkins_cutover_id_due_at_key" ON "checkins"("cutover_id", "due_at");

-- CreateIndex
CREATE INDEX "incidents_cutover_id_opened_at_idx" ON "incidents"("cutover_id", "opened_at");

-- CreateIndex
CREATE UNIQUE INDEX "incidents_cutover_id_open_subject_key" ON "incidents"("cutover_id", "open_subject");

-- AddForeignKey
ALTER TABLE "checkins" ADD CONSTRAINT "checkins_cutover_id_fkey" FOREIGN KEY ("cutover_id") REFERENCES "cutovers"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "incidents" ADD CONSTRAINT "incidents_cutover_id_fkey" FOREIGN KEY ("cutover_id") REFERENCES "cutovers"("id") ON DELETE CASCADE ON UPDATE CASCADE;
