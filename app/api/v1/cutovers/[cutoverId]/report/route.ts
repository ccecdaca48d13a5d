// GET /api/v1/cutovers/{id}/report[?format=markdown]: the post-mortem of an ended cutover.
import { tableRoute } from "@/lib/api/route";

export const dynamic = "force-dynamic";

export const GET = tableRoute("GET", "/api/v1/cutovers/:cutoverId/report");
