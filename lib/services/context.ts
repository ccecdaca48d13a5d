// The one shape of every change to a cutover: in one transaction, load the caller's roles, check
// the permission table, let the use case check the current state and write, append the audit
// event and announce it on the bus (delivered only on commit).
import { db, type Tx } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { announce } from "@/lib/realtime/bus";
import { assertCan, PermissionDenied, type Action } from "@/lib/domain/permissions";
import type { Role } from "@/lib/domain/roles";

export interface Actor {
  id: string;
  name: string;
  isAdmin: boolean;
  isPlanner: boolean;
}

export interface CutoverContext {
  tx: Tx;
  actor: Actor;
  roles: Role[];
  cutover: { id: string; state: string; mode: string; tZero: Date; timeZone: string; name: string };
  requestId?: string;
  /** Appends the audit event and announces the change to the room. */
  record(action: string, subject: string, change: { before?: unknown; after?: unknown; role?: Role | null; data?: Record<string, unknown> }): Promise<void>;
}

function toJson(value: unknown) {
  return value === undefined ? undefined : (JSON.parse(JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v))) as object);
}

/**
 * The one access rule of every command: a cutover the caller is no member of does not exist for
 * them (404; administrators may look), and the permission table decides the rest (403). `roles`
 * is null when the cutover does not exist. Returns the caller's roles.
 */
export function authorize(actor: Actor, roles: Role[] | null, action: Action): Role[] {
  if (!roles || (roles.length === 0 && !actor.isAdmin)) throw new AppError("not_found", "No such cutover, or you are not a member of it");
  try {
    assertCan(roles, action);
  } catch (err) {
    if (err instanceof PermissionDenied) throw new AppError("forbidden", err.message);
    throw err;
  }
  return roles;
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
        async record(auditAction, subject, change) {
          await tx.auditEvent.create({
            data: {
              cutoverId,
              actorId: actor.id,
              actorName: actor.name,
              role: change.role ?? roles.join(",") ?? null,
              action: auditAction,
              subject,
              before: toJson(change.before),
              after: toJson(change.after),
              requestId: opts.requestId ?? null,
              rehearsal: cutover.mode === "rehearsal",
            },
          });
          await announce(tx, { type: auditAction, cutoverId, actor: actor.name, subject, data: change.data });
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
