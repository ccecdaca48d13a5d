import { apiRoute, jsonBody } from "@/lib/api/route";
import { runCommand } from "@/lib/services/commands";

export const dynamic = "force-dynamic";

/** Shift to the next step (or {toPercent}); {override: true, note} when the plan's decision says otherwise. */
export const POST = apiRoute<{ cutoverId: string }>(async ({ req, actor, params, requestId }) =>
  runCommand(actor, "traffic.shift", { ...(await jsonBody(req)), cutoverId: params.cutoverId } as never, requestId),
);
