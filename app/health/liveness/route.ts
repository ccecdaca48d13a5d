export const dynamic = "force-dynamic";

export function GET() {
  return Response.json({ alive: true }, { headers: { "cache-control": "no-store" } });
}
