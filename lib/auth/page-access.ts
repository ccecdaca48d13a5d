// Pages that only some may open: for anyone else the page does not exist (404), as the services
// behind it refuse them anyway.
import { notFound } from "next/navigation";
import { canGlobal, type GlobalAction } from "@/lib/domain/permissions";
import { requireUser, type SessionUser } from "./session";

/** The signed-in user (else to sign-in), holding the global permission `action` (else a 404). */
export async function requireGlobal(action: GlobalAction): Promise<SessionUser> {
  const user = await requireUser();
  if (!canGlobal(user, action)) notFound();
  return user;
}
