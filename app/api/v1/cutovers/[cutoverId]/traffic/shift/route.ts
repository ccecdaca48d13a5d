import { tableRoute } from "@/lib/api/route";

export const dynamic = "force-dynamic";

/** Shift to the next step (or {toPercent}); {override: true, note} when the plan's decision says otherwise. */
export const POST = tableRoute("POST", "/api/v1/cutovers/:cutoverId/traffic/shift");
