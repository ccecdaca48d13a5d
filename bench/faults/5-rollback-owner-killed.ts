// Row 5: the app process running a rollback SIGKILLed mid-rollback (HAProxy frozen so the rollback
// hangs in its retries), the app started again, rollback pressed again: the time from that press
// to split 0 (recorded and in HAProxy). The wait is capped: a press that only joins the dead
// process's rollback never gets there.
import { Api, embeddedOwnerUrl, freezeHaproxy, haproxyPercent, query, seconds, waitFor, type FaultRow } from "../support/faults";
import { exited } from "../support/app";
import { appFor, labRoom, type RowContext } from "../support/fault-setup";

export const title = "App holding a running rollback SIGKILLed, rollback pressed again";
const SPLIT = 50;
const CAP_MS = 20_000;

export async function run(ctx: RowContext): Promise<FaultRow> {
  const { lab, app: first, api, db, cutoverId } = await labRoom(ctx, "rollback owner killed", SPLIT);

  const thaw = freezeHaproxy(lab.haproxy);
  ctx.cleanup.add("thaw HAProxy", thaw);
  ctx.note("HAProxy frozen; pressing rollback");
  const pending = api.post(`/api/v1/cutovers/${cutoverId}/rollback`, { reason: "faults: will be orphaned" }, { timeoutMs: 120_000 });
  const running = await waitFor(async () => (await query(db, "SELECT 1 FROM rollbacks WHERE cutover_id = $1 AND state = 'running'", [cutoverId])).length > 0, 10_000, 100);
  if (!running) throw new Error("the rollback never showed as running");
  first.child.kill("SIGKILL");
  await waitFor(async () => exited(first.child), 5000, 50);
  ctx.note("the app holding the rollback SIGKILLed");
  await pending;
  thaw();

  // Its embedded PostgreSQL outlived it; the restarted app finds its data as it was left.
  const second = await appFor(ctx, { dataDir: first.dataDir, keepData: true });
  const api2 = new Api(second.url);
  const pressedAt = Date.now();
  const press = await api2.post(`/api/v1/cutovers/${cutoverId}/rollback`, { reason: "faults: pressed again after the restart" }, { timeoutMs: CAP_MS });
  const db2 = embeddedOwnerUrl(second.postgresRoot);
  const done = await waitFor(async () => {
    const [c] = await query<{ percent: number }>(db2, "SELECT traffic_percent AS percent FROM cutovers WHERE id = $1", [cutoverId]);
    return c!.percent === 0 && (await haproxyPercent(lab.haproxy)) === 0;
  }, Math.max(0, CAP_MS - (Date.now() - pressedAt)), 200);
  const toZeroMs = Date.now() - pressedAt;
  const states = await query<{ state: string; n: string }>(db2, "SELECT state::text, count(*) AS n FROM rollbacks WHERE cutover_id = $1 GROUP BY state ORDER BY state", [cutoverId]);
  const real = await haproxyPercent(lab.haproxy);
  return {
    fault: title,
    done: `HAProxy frozen with ${SPLIT} % on new, rollback pressed, its app SIGKILLed mid-rollback, app restarted, rollback pressed again`,
    users: `the press after the restart answered ${press.status || "nothing"} in ${seconds(press.ms)}${press.body ? ` (joined: ${String(press.body.joined)})` : `: ${press.message}`}; rollbacks ${states.map((s) => `${s.state} ×${s.n}`).join(", ")}; HAProxy at ${real ?? "?"} %`,
    recover: done ? `${seconds(toZeroMs)} from the press to split 0` : `split not 0 within ${CAP_MS / 1000} s of the press`,
    lost: "n/a (the orphaned rollback was not acknowledged)",
    recovered: done !== null,
  };
}
