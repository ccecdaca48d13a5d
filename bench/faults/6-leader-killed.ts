// Row 6: two app processes on one PostgreSQL; the one running the jobs (poller and triggers) is
// SIGKILLed while an automatic rollback trigger is pending (its condition holds, its `for` window
// has not elapsed). The other must take over (time) and the trigger fire exactly once for the
// episode (one trigger.fired audit row, one rollback).
import { Api, query, seconds, sleep, waitFor, type FaultRow } from "../support/faults";
import { labFor, PROMETHEUS, replicasFor, ROUTER, shift, type RowContext } from "../support/fault-setup";

export const title = "Leader SIGKILLed with a trigger pending";
const FOR_S = 15;
const TAKEOVER_CAP_MS = 30_000;
const SPLIT = 50;
// What the process running the jobs says when it gains them ("jobs: this process is the leader"),
// worded loosely enough to survive a rewording of the leader election.
const LEADER_LINE = /\b(?:is (?:now )?the leader|became (?:the )?leader|leadership (?:gained|acquired|taken))\b/i;

export async function run(ctx: RowContext): Promise<FaultRow> {
  const lab = await labFor(ctx, { rate: 100, durationS: 600 });
  const leaderAt: (number | null)[] = [null, null];
  const { apps, apis, ownerUrl } = await replicasFor(ctx, 2, lab, {
    onLine: (i, line) => {
      if (LEADER_LINE.test(line)) leaderAt[i] = Date.now();
    },
  });
  const api: Api = apis[0]!;
  const cutoverId = await api.createCutover({ name: "Faults: leader killed", router: ROUTER });
  await api.must("/api/v1/commands/metrics.settings", { cutoverId, prometheusSource: PROMETHEUS, pollIntervalMs: 1000 });
  if ((await shift(api, cutoverId, SPLIT)).status !== 200) throw new Error(`shift to ${SPLIT} % failed`);
  const view = (await api.must(`/api/v1/cutovers/${cutoverId}/metrics`)) as { metrics: { id: string; name: string }[] };
  const metricId = view.metrics.find((m) => m.name === "Error rate")!.id;
  const { triggerId } = (await api.must("/api/v1/commands/trigger.save", { cutoverId, metricId, system: "new", comparison: ">", threshold: 5, forSeconds: FOR_S, severity: "immediate", action: "rollback", mode: "automatic" })) as { triggerId: string };

  const leader = leaderAt.findIndex((t) => t !== null);
  if (leader < 0) throw new Error(`neither replica printed a line matching ${LEADER_LINE} (bench/faults/6-leader-killed.ts): which one runs the jobs?`);
  await lab.new.configure({ errorRate: 1 });
  ctx.note(`new answers errors; waiting for the trigger to be pending (leader: replica ${leader + 1})`);
  const pending = await waitFor(async () => (await query<{ state: string }>(ownerUrl, "SELECT state::text FROM rollback_triggers WHERE id = $1", [triggerId]))[0]?.state === "pending", 60_000, 200);
  if (!pending) throw new Error("the trigger never became pending");
  const other = 1 - leader;
  leaderAt[other] = null;
  apps[leader]!.child.kill("SIGKILL");
  const killedAt = Date.now();
  ctx.note(`replica ${leader + 1} (leader) SIGKILLed with the trigger pending`);

  const takeover = await waitFor(async () => leaderAt[other], TAKEOVER_CAP_MS, 50);
  const rolledBack = await waitFor(async () => (await query<{ percent: number }>(ownerUrl, "SELECT traffic_percent AS percent FROM cutovers WHERE id = $1", [cutoverId]))[0]?.percent === 0, FOR_S * 1000 + TAKEOVER_CAP_MS, 250);
  // Long enough for a second firing of the same episode to show.
  await sleep(5000);
  const [counts] = await query<{ fired: string; rollbacks: string }>(
    ownerUrl,
    `SELECT (SELECT count(*) FROM audit_events WHERE cutover_id = $1 AND action = 'trigger.fired' AND subject = $2) AS fired,
            (SELECT count(*) FROM rollbacks WHERE cutover_id = $1 AND trigger_id = $3::uuid) AS rollbacks`,
    [cutoverId, `trigger:${triggerId}`, triggerId],
  );
  const fired = Number(counts!.fired);
  const rollbacks = Number(counts!.rollbacks);
  const takeoverMs = takeover ? takeover.value - killedAt : null;
  return {
    fault: title,
    done: `2 replicas on one PostgreSQL; trigger "Error rate (new) > 5 % for ${FOR_S} s → roll back" pending; the leader SIGKILLed`,
    users: `${takeoverMs === null ? `no takeover within ${TAKEOVER_CAP_MS / 1000} s` : `the other replica took the jobs over after ${seconds(takeoverMs)}`}; trigger fired ${fired}×, ${rollbacks} rollback(s); split ${rolledBack ? "0 %" : `still not 0 after ${(FOR_S * 1000 + TAKEOVER_CAP_MS) / 1000} s`}`,
    recover: takeoverMs === null ? `not within ${TAKEOVER_CAP_MS / 1000} s` : `${seconds(takeoverMs)} (takeover)`,
    lost: "n/a (no acknowledged writes in flight)",
    recovered: takeoverMs !== null && takeoverMs < 10_000 && fired === 1 && rollbacks === 1 && rolledBack !== null,
  };
}
