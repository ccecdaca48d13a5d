import { tableRoute } from "@/lib/api/route";

export const dynamic = "force-dynamic";

/** Definitions, series over ?rangeSec= (default 15 min; backfilled from Prometheus), gates, markers. */
export const GET = tableRoute("GET", "/api/v1/cutovers/:cutoverId/metrics");
