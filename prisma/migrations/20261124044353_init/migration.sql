-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "Role" AS ENUM ('DEPLOYMENT_LEAD', 'DATABASE_DBA', 'BACKEND_LEAD', 'QA_LEAD', 'ON_CALL', 'COMMS_LEAD', 'OBSERVER');

-- CreateEnum
CREATE TYPE "CutoverState" AS ENUM ('draft', 'scheduled', 'in_progress', 'completed', 'rolled_back', 'aborted');

-- CreateEnum
CREATE TYPE "CutoverMode" AS ENUM ('live', 'rehearsal');

-- CreateEnum
CREATE TYPE "ItemState" AS ENUM ('open', 'done', 'not_applicable');

-- CreateEnum
CREATE TYPE "SignOffKind" AS ENUM ('sign_off', 'not_applicable', 'undo');

-- CreateEnum
CREATE TYPE "DecisionState" AS ENUM ('pending', 'voting', 'proceed', 'abort');

-- CreateEnum
CREATE TYPE "VoteChoice" AS ENUM ('go', 'no_go');

-- CreateEnum
CREATE TYPE "MetricSystem" AS ENUM ('old', 'new', 'both');

-- CreateEnum
CREATE TYPE "ThresholdDirection" AS ENUM ('above', 'below');

-- CreateEnum
CREATE TYPE "TrafficChangeState" AS ENUM ('requested', 'applied', 'verified', 'failed');

-- CreateEnum
CREATE TYPE "TriggerSeverity" AS ENUM ('immediate', 'graceful');

-- CreateEnum
CREATE TYPE "TriggerMode" AS ENUM ('automatic', 'recommend');

-- CreateEnum
CREATE TYPE "TriggerAction" AS ENUM ('rollback', 'shift', 'alert');

-- CreateEnum
CREATE TYPE "TriggerState" AS ENUM ('inactive', 'pending', 'firing');

-- CreateEnum
CREATE TYPE "RiskStatus" AS ENUM ('open', 'mitigated', 'accepted', 'occurred', 'closed');

-- CreateEnum
CREATE TYPE "RiskLevel" AS ENUM ('low', 'medium', 'high', 'critical');

-- CreateTable
CREATE TABLE "users" (
    "id" UUID NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "password_hash" TEXT NOT NULL,
    "is_admin" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "users_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "api_tokens" (
    "id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "token_hash" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_used_at" TIMESTAMPTZ(3),
    "revoked_at" TIMESTAMPTZ(3),

    CONSTRAINT "api_tokens_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "cutovers" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "system_from" TEXT NOT NULL,
    "system_to" TEXT NOT NULL,
    "t_zero" TIMESTAMPTZ(3) NOT NULL,
    "time_zone" TEXT NOT NULL DEFAULT 'UTC',
    "state" "CutoverState" NOT NULL DEFAULT 'draft',
    "mode" "CutoverMode" NOT NULL DEFAULT 'live',
    "fence" BIGINT NOT NULL DEFAULT 0,
    "traffic_percent" INTEGER NOT NULL DEFAULT 0,
    "prometheus_url" TEXT,
    "prometheus_auth" JSONB,
    "poll_interval_ms" INTEGER NOT NULL DEFAULT 5000,
    "router_kind" TEXT,
    "router_config" JSONB,
    "links" JSONB NOT NULL DEFAULT '[]',
    "escalation" JSONB NOT NULL DEFAULT '[]',
    "cloned_from_id" UUID,
    "started_at" TIMESTAMPTZ(3),
    "ended_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "cutovers_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "cutover_members" (
    "id" UUID NOT NULL,
    "cutover_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "role" "Role" NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "cutover_members_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "phases" (
    "id" UUID NOT NULL,
    "cutover_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "planned_at" TEXT,

    CONSTRAINT "phases_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "sections" (
    "id" UUID NOT NULL,
    "phase_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "position" INTEGER NOT NULL,

    CONSTRAINT "sections_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "items" (
    "id" UUID NOT NULL,
    "section_id" UUID NOT NULL,
    "title" TEXT NOT NULL,
    "description" TEXT,
    "commands" TEXT,
    "owner_role" "Role" NOT NULL,
    "critical" BOOLEAN NOT NULL DEFAULT false,
    "position" INTEGER NOT NULL,
    "planned_time" TEXT,
    "planned_at" TIMESTAMPTZ(3),
    "state" "ItemState" NOT NULL DEFAULT 'open',
    "version" INTEGER NOT NULL DEFAULT 0,
    "added_reason" TEXT,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "items_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "sign_offs" (
    "id" UUID NOT NULL,
    "item_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "role" "Role" NOT NULL,
    "kind" "SignOffKind" NOT NULL,
    "note" TEXT,
    "override" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "sign_offs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "timeline_entries" (
    "id" UUID NOT NULL,
    "cutover_id" UUID NOT NULL,
    "title" TEXT NOT NULL,
    "details" TEXT,
    "owner_role" "Role" NOT NULL,
    "position" INTEGER NOT NULL,
    "planned_start" TIMESTAMPTZ(3) NOT NULL,
    "planned_finish" TIMESTAMPTZ(3),
    "actual_start" TIMESTAMPTZ(3),
    "actual_finish" TIMESTAMPTZ(3),

    CONSTRAINT "timeline_entries_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "contacts" (
    "id" UUID NOT NULL,
    "cutover_id" UUID NOT NULL,
    "role" "Role" NOT NULL,
    "name" TEXT NOT NULL,
    "phone" TEXT,
    "chat_handle" TEXT,
    "email" TEXT,
    "escalation_order" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "contacts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "risks" (
    "id" UUID NOT NULL,
    "cutover_id" UUID NOT NULL,
    "title" TEXT NOT NULL,
    "probability" "RiskLevel" NOT NULL,
    "impact" "RiskLevel" NOT NULL,
    "mitigation" TEXT,
    "owner_role" "Role",
    "status" "RiskStatus" NOT NULL DEFAULT 'open',

    CONSTRAINT "risks_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "decision_points" (
    "id" UUID NOT NULL,
    "cutover_id" UUID NOT NULL,
    "phase_id" UUID NOT NULL,
    "title" TEXT NOT NULL,
    "required_roles" "Role"[],
    "target_percent" INTEGER,
    "state" "DecisionState" NOT NULL DEFAULT 'pending',
    "version" INTEGER NOT NULL DEFAULT 0,
    "opened_at" TIMESTAMPTZ(3),
    "decided_at" TIMESTAMPTZ(3),
    "reason" TEXT,
    "snapshot" JSONB,

    CONSTRAINT "decision_points_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "votes" (
    "id" UUID NOT NULL,
    "decision_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "role" "Role" NOT NULL,
    "choice" "VoteChoice" NOT NULL,
    "comment" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "votes_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "metric_definitions" (
    "id" UUID NOT NULL,
    "cutover_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "unit" TEXT NOT NULL,
    "system" "MetricSystem" NOT NULL DEFAULT 'both',
    "query_old" TEXT,
    "query_new" TEXT,
    "direction" "ThresholdDirection" NOT NULL DEFAULT 'above',
    "warning_threshold" DOUBLE PRECISION,
    "critical_threshold" DOUBLE PRECISION,
    "position" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "metric_definitions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "metric_samples" (
    "id" BIGSERIAL NOT NULL,
    "metric_id" UUID NOT NULL,
    "system" TEXT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "value" DOUBLE PRECISION,
    "status" TEXT NOT NULL,
    "reason" TEXT,

    CONSTRAINT "metric_samples_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "metric_gates" (
    "id" UUID NOT NULL,
    "decision_id" UUID,
    "cutover_id" UUID NOT NULL,
    "metric_id" UUID NOT NULL,
    "condition" JSONB NOT NULL,
    "success_criterion" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "metric_gates_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "traffic_steps" (
    "id" UUID NOT NULL,
    "cutover_id" UUID NOT NULL,
    "percent" INTEGER NOT NULL,
    "position" INTEGER NOT NULL,
    "decision_id" UUID,

    CONSTRAINT "traffic_steps_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "traffic_changes" (
    "id" UUID NOT NULL,
    "cutover_id" UUID NOT NULL,
    "user_id" UUID,
    "from_percent" INTEGER NOT NULL,
    "to_percent" INTEGER NOT NULL,
    "state" "TrafficChangeState" NOT NULL,
    "override" BOOLEAN NOT NULL DEFAULT false,
    "note" TEXT,
    "error" TEXT,
    "fence" BIGINT NOT NULL,
    "duration_ms" INTEGER,
    "trigger_id" UUID,
    "requested_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "traffic_changes_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "rollback_triggers" (
    "id" UUID NOT NULL,
    "cutover_id" UUID NOT NULL,
    "metric_id" UUID NOT NULL,
    "system" TEXT NOT NULL DEFAULT 'new',
    "comparison" TEXT NOT NULL,
    "threshold" DOUBLE PRECISION NOT NULL,
    "for_seconds" INTEGER NOT NULL,
    "keep_firing_for_seconds" INTEGER NOT NULL DEFAULT 0,
    "severity" "TriggerSeverity" NOT NULL,
    "action" "TriggerAction" NOT NULL,
    "shift_to_percent" INTEGER,
    "mode" "TriggerMode" NOT NULL DEFAULT 'recommend',
    "no_data_policy" TEXT NOT NULL DEFAULT 'pause',
    "error_policy" TEXT NOT NULL DEFAULT 'pause',
    "error_rollback_after" INTEGER,
    "state" "TriggerState" NOT NULL DEFAULT 'inactive',
    "pending_since" TIMESTAMPTZ(3),
    "fired_at" TIMESTAMPTZ(3),
    "description" TEXT,

    CONSTRAINT "rollback_triggers_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "rollback_hooks" (
    "id" UUID NOT NULL,
    "cutover_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "config" JSONB NOT NULL,

    CONSTRAINT "rollback_hooks_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "rollbacks" (
    "id" UUID NOT NULL,
    "cutover_id" UUID NOT NULL,
    "user_id" UUID,
    "trigger_id" UUID,
    "reason" TEXT,
    "state" TEXT NOT NULL,
    "hook_results" JSONB NOT NULL DEFAULT '[]',
    "duration_ms" INTEGER,
    "started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "rollbacks_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audit_events" (
    "id" BIGSERIAL NOT NULL,
    "cutover_id" UUID,
    "actor_id" UUID,
    "actor_name" TEXT NOT NULL,
    "role" TEXT,
    "action" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "before" JSONB,
    "after" JSONB,
    "request_id" TEXT,
    "rehearsal" BOOLEAN NOT NULL DEFAULT false,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "audit_events_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "users_email_key" ON "users"("email");

-- CreateIndex
CREATE UNIQUE INDEX "api_tokens_token_hash_key" ON "api_tokens"("token_hash");

-- CreateIndex
CREATE INDEX "api_tokens_user_id_idx" ON "api_tokens"("user_id");

-- CreateIndex
CREATE INDEX "cutovers_cloned_from_id_idx" ON "cutovers"("cloned_from_id");

-- CreateIndex
CREATE INDEX "cutover_members_cutover_id_idx" ON "cutover_members"("cutover_id");

-- CreateIndex
CREATE INDEX "cutover_members_user_id_idx" ON "cutover_members"("user_id");

-- CreateIndex
CREATE UNIQUE INDEX "cutover_members_cutover_id_user_id_role_key" ON "cutover_members"("cutover_id", "user_id", "role");

-- CreateIndex
CREATE INDEX "phases_cutover_id_idx" ON "phases"("cutover_id");

-- CreateIndex
CREATE INDEX "sections_phase_id_idx" ON "sections"("phase_id");

-- CreateIndex
CREATE INDEX "items_section_id_idx" ON "items"("section_id");

-- CreateIndex
CREATE INDEX "sign_offs_item_id_idx" ON "sign_offs"("item_id");

-- CreateIndex
CREATE INDEX "sign_offs_user_id_idx" ON "sign_offs"("user_id");

-- CreateIndex
CREATE INDEX "timeline_entries_cutover_id_idx" ON "timeline_entries"("cutover_id");

-- CreateIndex
CREATE INDEX "contacts_cutover_id_idx" ON "contacts"("cutover_id");

-- CreateIndex
CREATE INDEX "risks_cutover_id_idx" ON "risks"("cutover_id");

-- CreateIndex
CREATE INDEX "decision_points_cutover_id_idx" ON "decision_points"("cutover_id");

-- CreateIndex
CREATE INDEX "decision_points_phase_id_idx" ON "decision_points"("phase_id");

-- CreateIndex
CREATE INDEX "votes_decision_id_idx" ON "votes"("decision_id");

-- CreateIndex
CREATE INDEX "votes_user_id_idx" ON "votes"("user_id");

-- CreateIndex
CREATE UNIQUE INDEX "votes_decision_id_role_key" ON "votes"("decision_id", "role");

-- CreateIndex
CREATE INDEX "metric_definitions_cutover_id_idx" ON "metric_definitions"("cutover_id");

-- CreateIndex
CREATE INDEX "metric_samples_metric_id_at_idx" ON "metric_samples"("metric_id", "at");

-- CreateIndex
CREATE INDEX "metric_gates_decision_id_idx" ON "metric_gates"("decision_id");

-- CreateIndex
CREATE INDEX "metric_gates_metric_id_idx" ON "metric_gates"("metric_id");

-- CreateIndex
CREATE INDEX "metric_gates_cutover_id_idx" ON "metric_gates"("cutover_id");

-- CreateIndex
CREATE INDEX "traffic_steps_cutover_id_idx" ON "traffic_steps"("cutover_id");

-- CreateIndex
CREATE INDEX "traffic_steps_decision_id_idx" ON "traffic_steps"("decision_id");

-- CreateIndex
CREATE INDEX "traffic_changes_cutover_id_idx" ON "traffic_changes"("cutover_id");

-- CreateIndex
CREATE INDEX "traffic_changes_user_id_idx" ON "traffic_changes"("user_id");

-- CreateIndex
CREATE INDEX "traffic_changes_trigger_id_idx" ON "traffic_changes"("trigger_id");

-- CreateIndex
CREATE INDEX "rollback_triggers_cutover_id_idx" ON "rollback_triggers"("cutover_id");

-- CreateIndex
CREATE INDEX "rollback_triggers_metric_id_idx" ON "rollback_triggers"("metric_id");

-- CreateIndex
CREATE INDEX "rollback_hooks_cutover_id_idx" ON "rollback_hooks"("cutover_id");

-- CreateIndex
CREATE INDEX "rollbacks_cutover_id_idx" ON "rollbacks"("cutover_id");

-- CreateIndex
CREATE INDEX "rollbacks_user_id_idx" ON "rollbacks"("user_id");

-- CreateIndex
CREATE INDEX "rollbacks_trigger_id_idx" ON "rollbacks"("trigger_id");

-- CreateIndex
CREATE INDEX "audit_events_cutover_id_at_idx" ON "audit_events"("cutover_id", "at");

-- CreateIndex
CREATE INDEX "audit_events_actor_id_idx" ON "audit_events"("actor_id");

-- AddForeignKey
ALTER TABLE "api_tokens" ADD CONSTRAINT "api_tokens_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "cutovers" ADD CONSTRAINT "cutovers_cloned_from_id_fkey" FOREIGN KEY ("cloned_from_id") REFERENCES "cutovers"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "cutover_members" ADD CONSTRAINT "cutover_members_cutover_id_fkey" FOREIGN KEY ("cutover_id") REFERENCES "cutovers"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "cutover_members" ADD CONSTRAINT "cutover_members_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "phases" ADD CONSTRAINT "phases_cutover_id_fkey" FOREIGN KEY ("cutover_id") REFERENCES "cutovers"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sections" ADD CONSTRAINT "sections_phase_id_fkey" FOREIGN KEY ("phase_id") REFERENCES "phases"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "items" ADD CONSTRAINT "items_section_id_fkey" FOREIGN KEY ("section_id") REFERENCES "sections"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sign_offs" ADD CONSTRAINT "sign_offs_item_id_fkey" FOREIGN KEY ("item_id") REFERENCES "items"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sign_offs" ADD CONSTRAINT "sign_offs_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "timeline_entries" ADD CONSTRAINT "timeline_entries_cutover_id_fkey" FOREIGN KEY ("cutover_id") REFERENCES "cutovers"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "contacts" ADD CONSTRAINT "contacts_cutover_id_fkey" FOREIGN KEY ("cutover_id") REFERENCES "cutovers"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "risks" ADD CONSTRAINT "risks_cutover_id_fkey" FOREIGN KEY ("cutover_id") REFERENCES "cutovers"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "decision_points" ADD CONSTRAINT "decision_points_cutover_id_fkey" FOREIGN KEY ("cutover_id") REFERENCES "cutovers"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "decision_points" ADD CONSTRAINT "decision_points_phase_id_fkey" FOREIGN KEY ("phase_id") REFERENCES "phases"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "votes" ADD CONSTRAINT "votes_decision_id_fkey" FOREIGN KEY ("decision_id") REFERENCES "decision_points"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "votes" ADD CONSTRAINT "votes_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "metric_definitions" ADD CONSTRAINT "metric_definitions_cutover_id_fkey" FOREIGN KEY ("cutover_id") REFERENCES "cutovers"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "metric_samples" ADD CONSTRAINT "metric_samples_metric_id_fkey" FOREIGN KEY ("metric_id") REFERENCES "metric_definitions"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "metric_gates" ADD CONSTRAINT "metric_gates_decision_id_fkey" FOREIGN KEY ("decision_id") REFERENCES "decision_points"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "metric_gates" ADD CONSTRAINT "metric_gates_metric_id_fkey" FOREIGN KEY ("metric_id") REFERENCES "metric_definitions"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "traffic_steps" ADD CONSTRAINT "traffic_steps_cutover_id_fkey" FOREIGN KEY ("cutover_id") REFERENCES "cutovers"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "traffic_changes" ADD CONSTRAINT "traffic_changes_cutover_id_fkey" FOREIGN KEY ("cutover_id") REFERENCES "cutovers"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "rollback_triggers" ADD CONSTRAINT "rollback_triggers_cutover_id_fkey" FOREIGN KEY ("cutover_id") REFERENCES "cutovers"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "rollback_triggers" ADD CONSTRAINT "rollback_triggers_metric_id_fkey" FOREIGN KEY ("metric_id") REFERENCES "metric_definitions"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "rollback_hooks" ADD CONSTRAINT "rollback_hooks_cutover_id_fkey" FOREIGN KEY ("cutover_id") REFERENCES "cutovers"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "rollbacks" ADD CONSTRAINT "rollbacks_cutover_id_fkey" FOREIGN KEY ("cutover_id") REFERENCES "cutovers"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "audit_events" ADD CONSTRAINT "audit_events_cutover_id_fkey" FOREIGN KEY ("cutover_id") REFERENCES "cutovers"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- The audit log is append-only: the database itself refuses to change or remove history.
CREATE FUNCTION "audit_events_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_events is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER "audit_events_no_update_delete"
  BEFORE UPDATE OR DELETE ON "audit_events"
  FOR EACH ROW EXECUTE FUNCTION "audit_events_append_only"();

CREATE TRIGGER "audit_events_no_truncate"
  BEFORE TRUNCATE ON "audit_events"
  FOR EACH STATEMENT EXECUTE FUNCTION "audit_events_append_only"();
