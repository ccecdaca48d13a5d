// Every command of the room over REST, for scripts: POST /api/v1/commands/{name} with the
// command's input as JSON. The same dispatcher (and checks) as the server action.
import { tableRoute } from "@/lib/api/route";

export const dynamic = "force-dynamic";

export const POST = tableRoute("POST", "/api/v1/commands/:name");
