import { apiRoute, jsonBody } from "@/lib/api/route";
import { runCommand } from "@/lib/services/commands";

export const dynamic = "force-dynamic";

/** One rollback: 100 % to old, verified, then the hooks. A request while one runs joins it. */
export const POST = apiRoute<{ cutoverId: string }>(async ({ req, actor, params, requestId }) =>
  runCommand(actor, "rollback.execute", { ...(await jsonBody(req)), cutoverId: params.cutoverId } as never, requestId),
);
