import { tableRoute } from "@/lib/api/route";

export const dynamic = "force-dynamic";

/** The templates a new cutover can start from: built-in, then the team's. */
export const GET = tableRoute("GET", "/api/v1/templates");
