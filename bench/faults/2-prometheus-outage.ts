// Row 2: Prometheus stopped for a while, then started. During the outage the room's tiles must stop
// looking current, a metric gate must not pass (fail closed), and an automatic rollback trigger
// must not fire on the missing data (the split stays where it was). Recovered = fresh samples again.
import { seconds, sleep, waitFor, type FaultRow } from "../support/faults";
import { labRoom, PROMETHEUS, type RowContext } from "../support/fault-setup";
import { watchRoom } from "../support/room-socket";

const OUTAGE_MS = 20_000;
const CAP_MS = 60_000;
const SPLIT = 50;

export const title = "Prometheus stopped and started";

interface Tile {
  kind: string;
  reason?: string;
}
interface MetricsView {
  metrics: { id: string; name: string; new: { tile: Tile } | null }[];
  successCriteria: { passed: boolean; detail: string }[];
}

export async function run(ctx: RowContext): Promise<FaultRow> {
  const { lab, api, cutoverId } = await labRoom(ctx, "Prometheus outage", SPLIT, { rate: 50, durationS: 600 });
  await api.must("/api/v1/commands/metrics.settings", { cutoverId, prometheusSource: PROMETHEUS, pollIntervalMs: 1000 });
  const view = async () => (await api.must(`/api/v1/cutovers/${cutoverId}/metrics?rangeSec=300`)) as unknown as MetricsView;
  const metricId = (await view()).metrics.find((m) => m.name === "Error rate")!.id;
  await api.must("/api/v1/commands/gate.add", { cutoverId, metricId, successCriterion: true, condition: { kind: "threshold", system: "new", op: "<", value: 5, windowSec: 10 } });
  // Would roll back if missing data were read as a breach.
  await api.must("/api/v1/commands/trigger.save", { cutoverId, metricId, system: "new", comparison: ">", threshold: 5, forSeconds: 5, severity: "immediate", action: "rollback", mode: "automatic" });
  const tile = (v: MetricsView) => v.metrics.find((m) => m.id === metricId)?.new?.tile;
  const room = await watchRoom(ctx, api, cutoverId);
  /** The samples of the gated metric pushed to the room's browsers since `t`. */
  const pushed = (t: number) =>
    room.events.flatMap((e) => (e.type === "metrics.sampled" && e.receivedAt > t ? e.data.samples.filter((p) => p.m === metricId && p.s === "new") : []));

  // Before: the tile is current and the gate passes, so a change after the stop is the outage's.
  const before = await waitFor(async () => {
    const v = await view();
    return tile(v)?.kind === "current" && v.successCriteria.every((g) => g.passed);
  }, 60_000, 1000);
  if (!before) throw new Error("the Error rate tile never became current with its gate passing before the outage");

  await lab.prometheus.stop();
  const stoppedAt = Date.now();
  ctx.note("Prometheus stopped");
  const notCurrent = await waitFor(async () => {
    const t = tile(await view());
    return t && t.kind !== "current" ? t : null;
  }, OUTAGE_MS, 500);
  // The gate is evaluated again and again during the outage: it must never pass.
  let gateEvaluations = 0;
  let gatePassed = 0;
  let gateDetail = "";
  while (Date.now() - stoppedAt < OUTAGE_MS) {
    const v = await view();
    for (const g of v.successCriteria) {
      gateEvaluations++;
      if (g.passed) gatePassed++;
      gateDetail = g.detail;
    }
    await sleep(1000);
  }
  // A poll already under way at the stop may still bring a good sample: count from 2 s on.
  const duringOutage = pushed(stoppedAt + 2000);
  const pushedOk = duringOutage.filter((p) => p.st === "ok").length;
  const pushedBad = duringOutage.length - pushedOk;
  const traffic = await api.traffic(cutoverId);
  const rollbacks = traffic.rollbacks.filter((r) => Date.parse(r.startedAt) >= stoppedAt).length;

  await lab.prometheus.start();
  const startedAt = Date.now();
  ctx.note("Prometheus started");
  const fresh = await waitFor(async () => tile(await view())?.kind === "current", CAP_MS, 500);

  const failClosed = gateEvaluations > 0 && gatePassed === 0;
  const splitKept = traffic.percent === SPLIT && rollbacks === 0;
  const t = notCurrent?.value;
  return {
    fault: title,
    done: `Prometheus stopped for ${OUTAGE_MS / 1000} s with ${SPLIT} % on new, an automatic rollback trigger and a metric gate in place, then started`,
    users: [
      t ? `tile "${t.kind}" after ${seconds(notCurrent!.ms)} (${t.reason ?? ""})` : `tile still current after ${OUTAGE_MS / 1000} s`,
      `the room's socket got ${pushedBad} not-ok and ${pushedOk} ok samples`,
      `gate passed ${gatePassed} of ${gateEvaluations} evaluations${gateDetail ? ` ("${gateDetail}")` : ""}`,
      `split ${traffic.percent} %, ${rollbacks} rollback(s)`,
    ].join("; "),
    recover: fresh ? `${seconds(fresh.ms)} to a current tile after the start` : `no fresh sample within ${CAP_MS / 1000} s`,
    lost: "n/a (no writes)",
    recovered: Boolean(t) && pushedOk === 0 && failClosed && splitKept && fresh !== null,
  };
}
