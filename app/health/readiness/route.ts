import { isReady } from "@/lib/services/health";

export const dynamic = "force-dynamic";

export async function GET() {
  const ready = await isReady();
  return Response.json({ ready }, { status: ready ? 200 : 503, headers: { "cache-control": "no-store" } });
}
