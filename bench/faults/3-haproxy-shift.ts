// Row 3: HAProxy killed while a shift is in flight (frozen first, so the shift is waiting on its
// runtime socket when HAProxy goes away). The shift must answer an error and nothing may be
// recorded as done (no verified change, no "traffic.shifted" audit row, the recorded split
// unchanged); once HAProxy is back the same shift works. Recovered = that shift verified.
import { freezeHaproxy, haproxyPercent, killHaproxy, oneLine, query, restartHaproxy, seconds, waitFor, type FaultRow } from "../support/faults";
import { labRoom, shift, trafficRecord, type RowContext } from "../support/fault-setup";

export const title = "HAProxy stopped (killed) during a shift";
const FROM = 10;
const TO = 50;

export async function run(ctx: RowContext): Promise<FaultRow> {
  const { lab, api, db, cutoverId } = await labRoom(ctx, "HAProxy down during a shift", FROM);
  const before = await trafficRecord(db, cutoverId);

  const thaw = freezeHaproxy(lab.haproxy);
  ctx.cleanup.add("thaw HAProxy", thaw);
  const pressing = shift(api, cutoverId, TO);
  const inFlight = await waitFor(async () => (await query(db, "SELECT 1 FROM traffic_changes WHERE cutover_id = $1 AND to_percent = $2 AND state = 'requested'", [cutoverId, TO])).length > 0, 10_000, 50);
  if (!inFlight) throw new Error("the shift never showed as requested");
  await killHaproxy(lab.haproxy);
  ctx.note("HAProxy killed during the shift");
  const press = await pressing;
  const after = await trafficRecord(db, cutoverId);
  const nothingDone = after.percent === FROM && after.verified === before.verified && after.shifted === before.shifted;
  const failedRecorded = after.failed === before.failed + 1;

  const h = await restartHaproxy(lab, FROM);
  const backAt = Date.now();
  ctx.note("HAProxy started");
  const retry = await shift(api, cutoverId, TO);
  const worked = retry.status === 200 && (await trafficRecord(db, cutoverId)).percent === TO && (await haproxyPercent(h)) === TO;

  return {
    fault: title,
    done: `shift ${FROM} → ${TO} % pressed, HAProxy killed while the shift waited on it; HAProxy started, the shift pressed again`,
    users: `shift answered ${press.status || "nothing"} after ${seconds(press.ms)}: "${oneLine(press.message, 140)}"; recorded: split ${after.percent} %, verified changes ${before.verified} → ${after.verified}, failed changes ${before.failed} → ${after.failed}, shift audit rows ${before.shifted} → ${after.shifted}`,
    recover: worked ? `${seconds(Date.now() - backAt)} after HAProxy was back (shift verified, HAProxy at ${TO} %)` : `the shift after the restart answered ${retry.status}: ${retry.message}`,
    lost: "n/a (the failed shift was not acknowledged)",
    recovered: press.status >= 400 && nothingDone && failedRecorded && worked,
  };
}
