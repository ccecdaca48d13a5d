// The caller of an API route: a bearer API token (scripts, CI) or the browser's session cookie.
import { AppError } from "@/lib/errors";
import { actorFromBearer } from "./bearer";
import { currentUser, type SessionUser } from "./session";

export async function actorFromRequest(req: Request): Promise<SessionUser> {
  const header = req.headers.get("authorization");
  if (header) return actorFromBearer(header);
  const user = await currentUser();
  if (!user) throw new AppError("unauthorized", "Sign in or send an API token");
  return user;
}
