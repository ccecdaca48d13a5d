import { apiRoute, jsonBody } from "@/lib/api/route";
import { listCutovers } from "@/lib/services/cutover-read";
import { runCommand } from "@/lib/services/commands";

export const dynamic = "force-dynamic";

export const GET = apiRoute(async ({ actor }) => ({ cutovers: await listCutovers(actor) }));

/** Create a cutover (optionally from a markdown runbook in `runbook`); the caller leads it. */
export const POST = apiRoute(async ({ req, actor, requestId }) => {
  const created = await runCommand(actor, "cutover.create", (await jsonBody(req)) as never, requestId);
  return Response.json(created, { status: 201 });
});
