// Row 3: HAProxy stopped when a shift is pressed. The shift must answer an error and nothing may be
// recorded as done (no verified change, no "traffic.shifted" audit row, the recorded split
// unchanged); once HAProxy is back the same shift works. Recovered = that shift verified.
import { Api, embeddedOwnerUrl, oneLine, haproxyPercent, query, restartHaproxy, seconds, type FaultRow } from "../support/faults";
import { appFor, configure, labFor, ROUTER, type RowContext } from "../support/fault-setup";

export const title = "HAProxy stopped during a shift";
const FROM = 10;
const TO = 50;

/** What the database says was done to a cutover's traffic. */
export async function trafficRecord(ownerUrl: string, cutoverId: string) {
  const [row] = await query<{ percent: number; verified: string; shifted: string; failed: string }>(
    ownerUrl,
    `SELECT c.traffic_percent AS percent,
            (SELECT count(*) FROM traffic_changes t WHERE t.cutover_id = c.id AND t.state = 'verified') AS verified,
            (SELECT count(*) FROM traffic_changes t WHERE t.cutover_id = c.id AND t.state = 'failed') AS failed,
            (SELECT count(*) FROM audit_events a WHERE a.cutover_id = c.id AND a.action IN ('traffic.shifted', 'rollback.split_verified')) AS shifted
       FROM cutovers c WHERE c.id = $1`,
    [cutoverId],
  );
  return { percent: row!.percent, verified: Number(row!.verified), failed: Number(row!.failed), shifted: Number(row!.shifted) };
}

export async function run(ctx: RowContext): Promise<FaultRow> {
  const lab = await labFor(ctx);
  const app = await appFor(ctx);
  await configure(app, lab);
  const api = new Api(app.url);
  const db = embeddedOwnerUrl(app.dataDir);
  const cutoverId = await api.createCutover({ name: "Faults: HAProxy down during a shift", router: ROUTER });
  await api.must(`/api/v1/cutovers/${cutoverId}/traffic/shift`, { toPercent: FROM, override: true, note: "faults" });
  const before = await trafficRecord(db, cutoverId);

  await lab.haproxy.stop();
  ctx.note("HAProxy stopped");
  const press = await api.post(`/api/v1/cutovers/${cutoverId}/traffic/shift`, { toPercent: TO, override: true, note: "faults" }, { timeoutMs: 60_000 });
  const after = await trafficRecord(db, cutoverId);
  const nothingDone = after.percent === FROM && after.verified === before.verified && after.shifted === before.shifted;
  const failedRecorded = after.failed === before.failed + 1;

  const h = await restartHaproxy(lab, FROM);
  const backAt = Date.now();
  ctx.note("HAProxy started");
  const retry = await api.post(`/api/v1/cutovers/${cutoverId}/traffic/shift`, { toPercent: TO, override: true, note: "faults" }, { timeoutMs: 60_000 });
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
