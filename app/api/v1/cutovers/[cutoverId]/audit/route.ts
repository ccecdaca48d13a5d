import { apiRoute } from "@/lib/api/route";
import { listAudit } from "@/lib/services/audit-read";

export const dynamic = "force-dynamic";

export const GET = apiRoute<{ cutoverId: string }>(async ({ req, actor, params }) => {
  const q = Object.fromEntries(new URL(req.url).searchParams);
  return { events: await listAudit(actor, { ...q, cutoverId: params.cutoverId }) };
});
