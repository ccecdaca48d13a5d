import { tableRoute } from "@/lib/api/route";

export const dynamic = "force-dynamic";

/** Acknowledge a check-in owed by one's role: {note} says what was seen. */
export const POST = tableRoute("POST", "/api/v1/cutovers/:cutoverId/checkins/:checkInId/acknowledge");
