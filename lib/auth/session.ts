// Who is calling: the signed-in user of a page or server action (lib/auth/actor.ts resolves it).
import { headers } from "next/headers";
import { notFound, redirect } from "next/navigation";
import { canGlobal, type GlobalAction } from "@/lib/domain/permissions";
import { resolveActor } from "./actor";
import type { SessionUser } from "./session-user";

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

/** For pages that exist only for a global permission: the user, or a 404 for anyone without it. */
export async function requireGlobal(action: GlobalAction): Promise<SessionUser> {
  const user = await requireUser();
  if (!canGlobal(user, action)) notFound();
  return user;
}
