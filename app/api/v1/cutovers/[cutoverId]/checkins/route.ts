import { tableRoute } from "@/lib/api/route";

export const dynamic = "force-dynamic";

/** The check-in cadence, the check-ins so far and the incidents with their escalation level. */
export const GET = tableRoute("GET", "/api/v1/cutovers/:cutoverId/checkins");
