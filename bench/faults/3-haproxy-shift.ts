// Row 3: HAProxy stopped when a shift is pressed. The shift must answer an error and nothing may be
// recorded as done (no verified change, no "traffic.shifted" audit row, the recorded split
// unchanged); once HAProxy is back the same shift works. Recovered = that shift verified.
import { haproxyPercent, oneLine, restartHaproxy, seconds, type FaultRow } from "../support/faults";
import { labRoom, shift, trafficRecord, type RowContext } from "../support/fault-setup";

export const title = "HAProxy stopped during a shift";
const FROM = 10;
const TO = 50;

export async function run(ctx: RowContext): Promise<FaultRow> {
  const { lab, api, db, cutoverId } = await labRoom(ctx, "HAProxy down during a shift", FROM);
  const before = await trafficRecord(db, cutoverId);

  await lab.haproxy.stop();
  ctx.note("HAProxy stopped");
  const press = await shift(api, cutoverId, TO);
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
    done: `HAProxy stopped, then a shift ${FROM} → ${TO} % pressed; HAProxy started, the shift pressed again`,
    users: `shift answered ${press.status || "nothing"} after ${seconds(press.ms)}: "${oneLine(press.message, 140)}"; recorded: split ${after.percent} %, verified changes ${before.verified} → ${after.verified}, failed changes ${before.failed} → ${after.failed}, shift audit rows ${before.shifted} → ${after.shifted}`,
    recover: worked ? `${seconds(Date.now() - backAt)} after HAProxy was back (shift verified, HAProxy at ${TO} %)` : `the shift after the restart answered ${retry.status}: ${retry.message}`,
    lost: "n/a (the failed shift was not acknowledged)",
    recovered: press.status >= 400 && nothingDone && failedRecorded && worked,
  };
}
