import { tableRoute } from "@/lib/api/route";

export const dynamic = "force-dynamic";

/** Acknowledge an incident, which stops its escalation: {note} optional. */
export const POST = tableRoute("POST", "/api/v1/cutovers/:cutoverId/incidents/:incidentId/acknowledge");
