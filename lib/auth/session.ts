// Who is calling: the signed-in user of a page or server action (lib/auth/actor.ts resolves it).
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { resolveActor } from "./actor";

export interface SessionUser {
  id: string;
  email: string;
  name: string;
  isAdmin: boolean;
  isPlanner: boolean;
}

/** The signed-in user of this request (page or server action), through the one resolver. */
export async function currentUser(): Promise<SessionUser | null> {
  return resolveActor({ cookie: (await headers()).get("cookie") });
}

/** For pages: the signed-in user, or a redirect to sign-in. */
export async function requireUser(): Promise<SessionUser> {
  const user = await currentUser();
  if (!user) redirect("/sign-in");
  return user;
}
