import { apiRoute, jsonBody } from "@/lib/api/route";
import { runCommand } from "@/lib/services/commands";

export const dynamic = "force-dynamic";

export const POST = apiRoute<{ cutoverId: string; decisionId: string }>(async ({ req, actor, params, requestId }) =>
  runCommand(actor, "decision.vote", { ...(await jsonBody(req)), cutoverId: params.cutoverId, decisionId: params.decisionId } as never, requestId),
);
