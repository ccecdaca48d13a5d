-- CreateTable
CREATE TABLE "action_link_uses" (
    "jti" TEXT NOT NULL,
    "cutover_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "action" TEXT NOT NULL,
    "subject_id" UUID NOT NULL,
    "used_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "action_link_uses_pkey" PRIMARY KEY ("jti")
);
