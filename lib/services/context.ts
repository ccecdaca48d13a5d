// The one shape of every change to a cutover: in one transaction, load the caller's roles, check
// the permission table, let the use case check the current state and write, append the audit
// event and announce it on the bus (delivered only on commit). Commands reach this only through
// the dispatcher (./commands.ts); reads use withCutover directly with "cutover.view".
import { db, type Tx } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { canInCutover, PermissionDenied, type Action } from "@/lib/domain/permissions";
import { parsePlannedTime } from "@/lib/domain/relative-time";
import type { Role } from "@/lib/domain/roles";
import { EARLIEST_TIME, LATEST_TIME } from "@/lib/schemas/room";
import type { ChangeEventType } from "@/lib/realtime/events";
import { recordChange } from "./audit";

export interface Actor {
  id: string;
  name: string;
  isAdmin: boolean;
  isPlanner: boolean;
}

/** Who is asking, and under which request id their changes are recorded. */
export interface Call {
  actor: Actor;
  requestId?: string;
}

export interface CutoverContext {
  tx: Tx;
  actor: Actor;
  roles: Role[];
  cutover: { id: string; state: string; mode: string; tZero: Date; timeZone: string; name: string };
  requestId?: string;
  /** The permission table applied to this caller in this cutover (for rules that depend on the data). */
  can(action: Action): boolean;
  /** Appends the audit event and announces the change to the room. */
  record(action: ChangeEventType, subject: string, change: { before?: unknown; after?: unknown; role?: Role | null }): Promise<void>;
}

/**
 * The one rule: a member may do what the table gives their roles; an administrator may, in any
 * cutover, do what ADMINISTRATOR_IN_ANY_CUTOVER says (with or without a role there).
 */
export function allows(actor: Actor, roles: readonly Role[], action: Action): boolean {
  return canInCutover(actor, roles, action);
}

/**
 * The one access rule of every command: a cutover the caller is no member of does not exist for
 * them (404; administrators may look), and the permission table decides the rest (403). `roles`
 * is null when the cutover does not exist. Returns the caller's roles.
 */
export function authorize(actor: Actor, roles: Role[] | null, action: Action): Role[] {
  if (!roles || (roles.length === 0 && !actor.isAdmin)) throw new AppError("not_found", "No such cutover, or you are not a member of it", undefined, "not_a_member");
  if (!allows(actor, roles, action)) throw new AppError("forbidden", new PermissionDenied(action, roles).message);
  return roles;
}

/** The role an audit row names for a caller: their roles, or "ADMINISTRATOR" for one acting without a role. */
export function auditRole(actor: Actor, roles: readonly Role[]): string | null {
  return roles.length ? roles.join(",") : actor.isAdmin ? "ADMINISTRATOR" : null;
}

export async function withCutover<T>(
  actor: Actor,
  cutoverId: string,
  action: Action,
  fn: (ctx: CutoverContext) => Promise<T>,
  opts: { requestId?: string } = {},
): Promise<T> {
  return db().$transaction(
    async (tx) => {
      const found = await tx.cutover.findUnique({
        where: { id: cutoverId },
        select: { id: true, state: true, mode: true, tZero: true, timeZone: true, name: true, members: { where: { userId: actor.id }, select: { role: true } } },
      });
      const roles = authorize(actor, found ? found.members.map((m) => m.role as Role) : null, action);
      const { members: _members, ...cutover } = found!;
      const ctx: CutoverContext = {
        tx,
        actor,
        roles,
        cutover,
        requestId: opts.requestId,
        can: (a) => allows(actor, roles, a),
        async record(auditAction, subject, change) {
          await recordChange(
            tx,
            {
              cutoverId,
              actorId: actor.id,
              actorName: actor.name,
              role: change.role ?? auditRole(actor, roles),
              action: auditAction,
              subject,
              before: change.before,
              after: change.after,
              requestId: opts.requestId,
              rehearsal: cutover.mode === "rehearsal",
            },
            { type: auditAction, cutoverId, actor: actor.name, subject },
          );
        },
      };
      return fn(ctx);
    },
    { timeout: 15_000, maxWait: 10_000 },
  );
}

export function requireFound<T>(value: T | null | undefined, what: string): T {
  if (value === null || value === undefined) throw new AppError("not_found", `${what} not found in this cutover`);
  return value;
}

/**
 * For the commands that read the caller's roles in their own statement (the batched sign-off, the
 * rollback's one-round-trip read): `authorize` applies the command's permission from the table.
 */
export interface AuthorizingCall extends Call {
  authorize(roles: Role[] | null): Role[];
}

/** A planned time written against the cutover's T-0 ("T-4h", "14:30"), or a 400 naming the problem. */
export function plannedTimeOf(ctx: CutoverContext, text: string): Date {
  const parsed = parsePlannedTime(text, { tZero: ctx.cutover.tZero, timeZone: ctx.cutover.timeZone });
  if (!parsed.ok) throw new AppError("bad_request", parsed.error);
  const at = parsed.at.getTime();
  if (Number.isNaN(at) || at < EARLIEST_TIME.getTime() || at > LATEST_TIME.getTime()) throw new AppError("bad_request", `"${text.slice(0, 100)}" is too far from T-0`);
  return parsed.at;
}
