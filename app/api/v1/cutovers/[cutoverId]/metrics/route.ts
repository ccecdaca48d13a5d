import { apiRoute } from "@/lib/api/route";
import { getMetricsView } from "@/lib/services/metrics";

export const dynamic = "force-dynamic";

/** Definitions, series over ?rangeSec= (default 15 min; backfilled from Prometheus), gates, markers. */
export const GET = apiRoute<{ cutoverId: string }>(async ({ req, actor, params }) => {
  const q = Object.fromEntries(new URL(req.url).searchParams);
  return getMetricsView(actor, { ...q, cutoverId: params.cutoverId });
});
