// GET /api/v1/cutovers/{id}/status-page: the public status page as the room sees it.
import { tableRoute } from "@/lib/api/route";

export const dynamic = "force-dynamic";

export const GET = tableRoute("GET", "/api/v1/cutovers/:cutoverId/status-page");
