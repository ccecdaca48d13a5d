import { tableRoute } from "@/lib/api/route";

export const dynamic = "force-dynamic";

export const GET = tableRoute("GET", "/api/v1/cutovers/:cutoverId/alerts");
