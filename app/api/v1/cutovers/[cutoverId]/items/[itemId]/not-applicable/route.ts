import { apiRoute, jsonBody } from "@/lib/api/route";
import { runCommand } from "@/lib/services/commands";

export const dynamic = "force-dynamic";

export const POST = apiRoute<{ cutoverId: string; itemId: string }>(async ({ req, actor, params, requestId }) =>
  runCommand(actor, "item.not_applicable", { ...(await jsonBody(req)), cutoverId: params.cutoverId, itemId: params.itemId } as never, requestId),
);
