// GET /api/v1/cutovers/{id}/export?what=audit|timeline&format=csv|json: a file to download.
import { tableRoute } from "@/lib/api/route";

export const dynamic = "force-dynamic";

export const GET = tableRoute("GET", "/api/v1/cutovers/:cutoverId/export");
