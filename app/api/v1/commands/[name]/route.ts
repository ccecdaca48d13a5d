// Every command of the room over REST, for scripts: POST /api/v1/commands/{name} with the
// command's input as JSON. The same functions (and checks) as the server action.
import { apiRoute, jsonBody } from "@/lib/api/route";
import { AppError } from "@/lib/errors";
import { isCommandName, runCommand } from "@/lib/services/commands";

export const dynamic = "force-dynamic";

export const POST = apiRoute<{ name: string }>(async ({ req, actor, params, requestId }) => {
  if (!isCommandName(params.name)) throw new AppError("not_found", `Unknown command "${params.name.slice(0, 100)}"`);
  return runCommand(actor, params.name, (await jsonBody(req)) as never, requestId);
});
