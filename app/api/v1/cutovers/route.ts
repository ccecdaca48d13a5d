import { tableRoute } from "@/lib/api/route";

export const dynamic = "force-dynamic";

export const GET = tableRoute("GET", "/api/v1/cutovers");
/** Create a cutover (optionally from a markdown runbook in `runbook`, or a `template`); the caller leads it. */
export const POST = tableRoute("POST", "/api/v1/cutovers");
