import { tableRoute } from "@/lib/api/route";

export const dynamic = "force-dynamic";

export const POST = tableRoute("POST", "/api/v1/alertmanager/:cutoverId");
