// Who moves traffic and through which router: shared by the verbs that change the split.
import { sql } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import type { TrafficRouter } from "@/lib/domain/ports";
import { createRouter } from "@/lib/adapters/traffic";
import { resolveRouter } from "@/lib/integrations/resolve";

/** Who moves traffic: a person, or a trigger acting on its own. */
export interface Mover {
  userId: string | null;
  name: string;
  role: string | null;
}

/** How an announcement names the mover (for changes announced without an audit row). */
export function actorOf(mover: Mover): { actor: string; role?: string } {
  return mover.role ? { actor: mover.name, role: mover.role } : { actor: mover.name };
}

export interface RouterSettings {
  router_integration: string | null;
  mode: string;
}

/** A cutover's router, resolved through the integrations catalog; `label` names it without its settings. */
export interface Routing {
  router: TrafficRouter;
  rehearsal: boolean;
  label: string;
}

export async function routerFrom(c: RouterSettings): Promise<Routing> {
  if (!c.router_integration) throw new AppError("bad_request", "No router is configured for this cutover: pick one under Traffic");
  const found = await resolveRouter(c.router_integration);
  if (!found) throw new AppError("bad_request", `The router "${c.router_integration}" is no longer defined: pick another one under Traffic`);
  return { router: createRouter(found.config), rehearsal: c.mode === "rehearsal", label: `router "${found.name}" (${found.kind})` };
}

export async function routerOf(cutoverId: string): Promise<Routing> {
  const { rows } = await sql().query<RouterSettings>({ name: "router-of", text: "SELECT router_integration, mode::text AS mode FROM cutovers WHERE id = $1", values: [cutoverId] });
  if (!rows[0]) throw new AppError("not_found", "No such cutover");
  return routerFrom(rows[0]);
}
