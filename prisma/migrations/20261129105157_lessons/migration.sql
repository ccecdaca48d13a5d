-- CreateTable
CREATE TABLE "cutover_lessons" (
    "cutover_id" UUID NOT NULL,
    "went_well" TEXT NOT NULL DEFAULT '',
    "went_wrong" TEXT NOT NULL DEFAULT '',
    "actions" TEXT NOT NULL DEFAULT '',
    "version" INTEGER NOT NULL DEFAULT 0,
    "updated_by_id" UUID,
    "updated_by_name" TEXT NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "cutover_lessons_pkey" PRIMARY KEY ("cutover_id")
);

-- AddForeignKey
ALTER TABLE "cutover_lessons" ADD CONSTRAINT "cutover_lessons_cutover_id_fkey" FOREIGN KEY ("cutover_id") REFERENCES "cutovers"("id") ON DELETE CASCADE ON UPDATE CASCADE;
