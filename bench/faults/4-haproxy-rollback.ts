// Row 4: HAProxy killed while a rollback is in flight (frozen first, so the rollback is waiting on
// its runtime socket when HAProxy goes away). The rollback retries, then answers an error, the
// room is told (a rollback.failed audit row and event, the rollback shown as failed in the traffic
// view) and nothing is recorded as rolled back. Recovered = a rollback pressed after HAProxy is back
// succeeds (split 0 recorded and in HAProxy).
import { freezeHaproxy, haproxyPercent, killHaproxy, oneLine, query, restartHaproxy, seconds, waitFor, type FaultRow } from "../support/faults";
import { labRoom, trafficRecord, type RowContext } from "../support/fault-setup";
import { watchRoom } from "../support/room-socket";

export const title = "HAProxy stopped (killed) during a rollback";
const SPLIT = 50;

export async function run(ctx: RowContext): Promise<FaultRow> {
  const { lab, api, db, cutoverId } = await labRoom(ctx, "HAProxy down during a rollback", SPLIT);

  const room = await watchRoom(ctx, api, cutoverId);
  const thaw = freezeHaproxy(lab.haproxy);
  ctx.cleanup.add("thaw HAProxy", thaw);
  const pressing = api.post(`/api/v1/cutovers/${cutoverId}/rollback`, { reason: "faults: HAProxy down" }, { timeoutMs: 120_000 });
  const inFlight = await waitFor(async () => (await query(db, "SELECT 1 FROM rollbacks WHERE cutover_id = $1 AND state = 'running'", [cutoverId])).length > 0, 10_000, 50);
  if (!inFlight) throw new Error("the rollback never showed as running");
  await killHaproxy(lab.haproxy);
  ctx.note("HAProxy killed during the rollback");
  const press = await pressing;
  const after = await trafficRecord(db, cutoverId);
  const view = await api.traffic(cutoverId);
  const shown = view.rollbacks[0]?.state ?? "none";
  const [audit] = await query<{ failed: string }>(db, "SELECT count(*) AS failed FROM audit_events WHERE cutover_id = $1 AND action = 'rollback.failed'", [cutoverId]);
  // The banner: the event reaches the room's browsers (it is sent when the failure is recorded).
  const banner = await waitFor(async () => room.events.find((e) => e.type === "rollback.failed"), 5000, 50);
  const bannered = Number(audit!.failed) === 1 && shown === "failed" && banner !== null;

  const h = await restartHaproxy(lab, SPLIT);
  const backAt = Date.now();
  ctx.note("HAProxy started");
  const again = await api.post(`/api/v1/cutovers/${cutoverId}/rollback`, { reason: "faults: HAProxy back" }, { timeoutMs: 120_000 });
  const record = await trafficRecord(db, cutoverId);
  const real = await haproxyPercent(h);
  const worked = again.status === 200 && again.body?.joined === false && record.percent === 0 && real === 0;

  return {
    fault: title,
    done: `rollback pressed with ${SPLIT} % on new, HAProxy killed while the rollback waited on it; HAProxy started, rollback pressed again`,
    users: `rollback answered ${press.status || "nothing"} after ${seconds(press.ms)} (retries): "${oneLine(press.message, 140)}"; room's banner ${banner ? "got rollback.failed" : "got no rollback.failed event"}, traffic tab shows the rollback ${shown}, rollback.failed audit rows ${audit!.failed}; recorded split ${after.percent} %`,
    recover: worked ? `${seconds(Date.now() - backAt)} after HAProxy was back (split 0 recorded and in HAProxy)` : `the rollback after the restart answered ${again.status} (${again.message || JSON.stringify(again.body)}), recorded ${record.percent} %, HAProxy ${real ?? "?"} %`,
    lost: "n/a (the failed rollback was not acknowledged)",
    recovered: press.status >= 400 && bannered && after.percent === SPLIT && worked,
  };
}
