-- Routers, rollback hooks and Prometheus sources are now picked by name from the integrations
-- catalog; the per-cutover settings go. Hooks that name no integration cannot run any more.
DELETE FROM "rollback_hooks" WHERE "integration" IS NULL;

-- AlterTable
ALTER TABLE "cutovers" DROP COLUMN "prometheus_auth",
DROP COLUMN "prometheus_url",
DROP COLUMN "router_config",
DROP COLUMN "router_kind";

-- AlterTable
ALTER TABLE "rollback_hooks" DROP COLUMN "config",
DROP COLUMN "kind",
ALTER COLUMN "integration" SET NOT NULL;
