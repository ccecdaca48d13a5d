// GET /api/v1/cutovers/{id}/export?what=audit|timeline&format=csv|json: a file to download.
import { apiRoute } from "@/lib/api/route";
import { exportCutover } from "@/lib/services/export";

export const dynamic = "force-dynamic";

export const GET = apiRoute<{ cutoverId: string }>(async ({ req, actor, params, requestId }) => {
  const q = Object.fromEntries(new URL(req.url).searchParams);
  const file = await exportCutover(actor, { ...q, cutoverId: params.cutoverId });
  return new Response(file.body, {
    headers: {
      "content-type": file.contentType,
      "content-disposition": `attachment; filename="${file.filename}"`,
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
      "x-request-id": requestId,
    },
  });
});
