-- CreateTable
CREATE TABLE "cutover_templates" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "markdown" TEXT,
    "plan" JSONB,
    "created_by" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "cutover_templates_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "cutover_templates_name_key" ON "cutover_templates"("name");

-- CreateIndex
CREATE INDEX "cutover_templates_created_by_idx" ON "cutover_templates"("created_by");

-- AddForeignKey
ALTER TABLE "cutover_templates" ADD CONSTRAINT "cutover_templates_created_by_fkey" FOREIGN KEY ("created_by") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;
