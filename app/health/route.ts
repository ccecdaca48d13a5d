import { healthReport } from "@/lib/services/health";

export const dynamic = "force-dynamic";

export async function GET() {
  const report = await healthReport();
  return Response.json(report.body, { status: report.httpStatus, headers: { "cache-control": "no-store" } });
}
