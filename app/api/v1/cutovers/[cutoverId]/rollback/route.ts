import { tableRoute } from "@/lib/api/route";

export const dynamic = "force-dynamic";

/** One rollback: 100 % to old, verified, then the hooks. A request while one runs joins it. */
export const POST = tableRoute("POST", "/api/v1/cutovers/:cutoverId/rollback");
