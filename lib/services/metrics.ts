// Metric definitions, samples, gates and the metrics view of a cutover. The poller (lib/jobs)
// writes samples; everything that reads them goes through here.
import { z } from "zod";
import type { MetricsView } from "@/lib/schemas/views";
import { db, type Tx } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { DEFAULT_METRICS } from "@/lib/domain/default-metrics";
import { describeGate, evaluateGate, staleAfterOf, tileState, type GateCondition, type Sample, type System } from "@/lib/domain/metrics";
import type { Gate } from "@/lib/domain/decision";
import { checkPromql, queryFor } from "@/lib/domain/promql";
import { queryInstant, queryRange, type PrometheusTarget } from "@/lib/adapters/prometheus/client";
import { can } from "@/lib/domain/permissions";
import { integrationChoices, requireIntegration, resolvePrometheus } from "@/lib/integrations/resolve";
import { shortReason } from "@/lib/integrations/schemas";
import { gateInput, metricInput, metricsSettingsInput, metricsViewQuery, removeInput, testQueryInput } from "@/lib/schemas/room";
import { requireFound, withCutover, type Actor, type CutoverContext } from "./context";

export type SampleRow = { metricId: string; system: string; at: Date; value: number | null; status: string; reason: string | null };

export function toSample(r: Pick<SampleRow, "at" | "value" | "status" | "reason">): Sample {
  return r.status === "ok" && r.value !== null
    ? { at: r.at.getTime(), status: "ok", value: r.value }
    : { at: r.at.getTime(), status: r.status === "error" ? "error" : "no_data", value: null, reason: r.reason ?? "" };
}

/** The Prometheus a cutover reads, through the integrations catalog (its source, else the server's default). */
export function prometheusTarget(c: { prometheusSource: string | null }): Promise<PrometheusTarget | null> {
  return resolvePrometheus(c.prometheusSource);
}

/** The default metric set, for a new cutover (inside its creating transaction). */
export async function createDefaultMetrics(tx: Tx, cutoverId: string) {
  await tx.metricDefinition.createMany({
    data: DEFAULT_METRICS.map((m, position) => ({
      cutoverId,
      name: m.name,
      unit: m.unit,
      system: "both" as const,
      queryOld: queryFor(m.query, "old"),
      queryNew: queryFor(m.query, "new"),
      direction: m.direction,
      warningThreshold: m.warning,
      criticalThreshold: m.critical,
      position,
    })),
  });
}

function checkQuery(label: string, q: string | null | undefined) {
  if (!q) return;
  const r = checkPromql(q);
  if (!r.ok) throw new AppError("bad_request", `${label}: ${r.error}`);
}

export async function saveMetric(ctx: CutoverContext, input: z.output<typeof metricInput>) {
  checkQuery("Query (old)", input.queryOld);
  checkQuery("Query (new)", input.queryNew);
  if (!input.queryOld && !input.queryNew) throw new AppError("bad_request", "Give a query for the old system, the new one, or both");
  const { cutoverId, id, ...data } = input;
  const values = { ...data, queryOld: data.queryOld ?? null, queryNew: data.queryNew ?? null, warningThreshold: data.warningThreshold ?? null, criticalThreshold: data.criticalThreshold ?? null };
  if (id) {
    const before = requireFound(await ctx.tx.metricDefinition.findFirst({ where: { id, cutoverId } }), "Metric");
    await ctx.tx.metricDefinition.update({ where: { id }, data: values });
    await ctx.record("metric.updated", `metric:${id}`, { before, after: values });
    return { metricId: id };
  }
  const position = await ctx.tx.metricDefinition.count({ where: { cutoverId } });
  const m = await ctx.tx.metricDefinition.create({ data: { cutoverId, ...values, position } });
  await ctx.record("metric.added", `metric:${m.id}`, { after: values });
  return { metricId: m.id };
}

export async function removeMetric(ctx: CutoverContext, input: z.output<typeof removeInput>) {
  const m = requireFound(await ctx.tx.metricDefinition.findFirst({ where: { id: input.id, cutoverId: input.cutoverId } }), "Metric");
  if (await ctx.tx.rollbackTrigger.count({ where: { metricId: m.id } })) throw new AppError("conflict", `"${m.name}" is used by a rollback trigger: remove the trigger first`);
  await ctx.tx.metricDefinition.delete({ where: { id: m.id } });
  await ctx.record("metric.removed", `metric:${m.id}`, { before: { name: m.name } });
  return { metricId: m.id };
}

export async function saveMetricsSettings(ctx: CutoverContext, input: z.output<typeof metricsSettingsInput>) {
  const source = input.prometheusSource === null ? null : (await requireIntegration(input.prometheusSource, "prometheus")).name;
  const before = await ctx.tx.cutover.findUniqueOrThrow({ where: { id: input.cutoverId }, select: { prometheusSource: true, pollIntervalMs: true, sampleRetentionDays: true } });
  const after = { prometheusSource: source, pollIntervalMs: input.pollIntervalMs, sampleRetentionDays: input.sampleRetentionDays };
  await ctx.tx.cutover.update({ where: { id: input.cutoverId }, data: after });
  await ctx.record("metrics.settings_updated", `cutover:${input.cutoverId}`, { before, after });
  return { ok: true };
}

export async function addGate(ctx: CutoverContext, input: z.output<typeof gateInput>) {
  const metric = requireFound(await ctx.tx.metricDefinition.findFirst({ where: { id: input.metricId, cutoverId: input.cutoverId } }), "Metric");
  if (input.decisionId) {
    const d = requireFound(await ctx.tx.decisionPoint.findFirst({ where: { id: input.decisionId, cutoverId: input.cutoverId } }), "Decision point");
    if (d.state === "proceed" || d.state === "abort") throw new AppError("conflict", "The decision is closed: its gates cannot change");
  }
  const g = await ctx.tx.metricGate.create({ data: { cutoverId: input.cutoverId, metricId: metric.id, decisionId: input.decisionId ?? null, successCriterion: input.successCriterion, condition: input.condition } });
  await ctx.record("gate.added", `gate:${g.id}`, { after: { label: describeGate(input.condition, metric.name, metric.unit), decisionId: input.decisionId ?? null } });
  return { gateId: g.id };
}

export async function removeGate(ctx: CutoverContext, input: z.output<typeof removeInput>) {
  const g = requireFound(await ctx.tx.metricGate.findFirst({ where: { id: input.id, cutoverId: input.cutoverId }, include: { decision: true } }), "Gate");
  if (g.decision && (g.decision.state === "proceed" || g.decision.state === "abort")) throw new AppError("conflict", "The decision is closed: its gates cannot change");
  await ctx.tx.metricGate.delete({ where: { id: g.id } });
  await ctx.record("gate.removed", `gate:${g.id}`, { before: g.condition });
  return { gateId: g.id };
}

type Reader = Pick<Tx, "metricGate" | "metricSample" | "cutover">;

/** Metric gates of a cutover (of some decisions, or its success criteria), evaluated now. */
export async function evaluateMetricGates(reader: Reader, cutoverId: string, filter: { decisionIds?: string[]; successCriteria?: boolean }, now = Date.now()): Promise<Map<string | null, Gate[]>> {
  const gates = await reader.metricGate.findMany({
    where: { cutoverId, ...(filter.decisionIds ? { decisionId: { in: filter.decisionIds } } : {}), ...(filter.successCriteria ? { successCriterion: true } : {}) },
    include: { metric: { select: { id: true, name: true, unit: true } } },
  });
  const out = new Map<string | null, Gate[]>();
  if (gates.length === 0) return out;
  const cutover = await reader.cutover.findUniqueOrThrow({ where: { id: cutoverId }, select: { pollIntervalMs: true } });
  const longest = Math.max(...gates.map((g) => (g.condition as GateCondition).windowSec));
  const rows = await reader.metricSample.findMany({
    where: { metricId: { in: [...new Set(gates.map((g) => g.metricId))] }, at: { gt: new Date(now - longest * 1000 - cutover.pollIntervalMs) } },
    orderBy: { at: "asc" },
  });
  for (const g of gates) {
    const condition = g.condition as GateCondition;
    const mine = rows.filter((r) => r.metricId === g.metricId);
    const samples = { old: mine.filter((r) => r.system === "old").map(toSample), new: mine.filter((r) => r.system === "new").map(toSample) };
    const result = evaluateGate(condition, samples, now, cutover.pollIntervalMs, g.metric.name);
    const key = filter.successCriteria ? null : g.decisionId;
    const list = out.get(key) ?? [];
    list.push({ id: `metric:${g.id}`, kind: "metric", label: describeGate(condition, g.metric.name, g.metric.unit), passed: result.passed, detail: result.detail });
    out.set(key, list);
  }
  return out;
}

/** Downsamples to at most `points` per series by keeping every n-th sample plus all non-ok ones. */
function thin(samples: Sample[], points: number): Sample[] {
  if (samples.length <= points) return samples;
  const step = Math.ceil(samples.length / points);
  return samples.filter((s, i) => i % step === 0 || s.status !== "ok" || i === samples.length - 1);
}

/** Everything the metrics tab needs: definitions (no secrets), series over the range, gates, markers. */
export async function getMetricsView(actor: Actor, raw: z.input<typeof metricsViewQuery>): Promise<MetricsView> {
  const q = metricsViewQuery.parse(raw);
  const now = Date.now();
  const since = now - q.rangeSec * 1000;
  const view = await withCutover(actor, q.cutoverId, "cutover.view", async (ctx) => {
    const c = await ctx.tx.cutover.findUniqueOrThrow({ where: { id: q.cutoverId }, select: { prometheusSource: true, pollIntervalMs: true, sampleRetentionDays: true } });
    const metrics = await ctx.tx.metricDefinition.findMany({ where: { cutoverId: q.cutoverId }, orderBy: { position: "asc" } });
    const rows = await ctx.tx.metricSample.findMany({ where: { metricId: { in: metrics.map((m) => m.id) }, at: { gt: new Date(since) } }, orderBy: { at: "asc" } });
    const markers = [
      ...(await ctx.tx.trafficChange.findMany({ where: { cutoverId: q.cutoverId, state: "verified", finishedAt: { gt: new Date(since) } }, select: { finishedAt: true, fromPercent: true, toPercent: true } })).map((t) => ({ at: t.finishedAt!.getTime(), kind: "traffic" as const, label: `${t.fromPercent}% → ${t.toPercent}%` })),
      ...(await ctx.tx.decisionPoint.findMany({ where: { cutoverId: q.cutoverId, decidedAt: { gt: new Date(since) } }, select: { decidedAt: true, title: true, state: true } })).map((d) => ({ at: d.decidedAt!.getTime(), kind: "decision" as const, label: `${d.title}: ${d.state.toUpperCase()}` })),
    ];
    const success = (await evaluateMetricGates(ctx.tx, q.cutoverId, { successCriteria: true }, now)).get(null) ?? [];
    const gateRows = await ctx.tx.metricGate.findMany({ where: { cutoverId: q.cutoverId }, include: { metric: { select: { name: true, unit: true } } } });
    return { c, metrics, rows, markers, success, gateRows, editor: can(ctx.roles, "metrics.edit") };
  });
  const target = await prometheusTarget(view.c);
  const staleAfterMs = staleAfterOf(view.c.pollIntervalMs);
  const series = await Promise.all(
    view.metrics.map(async (m) => {
      const perSystem = {} as Record<System, { samples: Sample[]; tile: ReturnType<typeof tileState>; backfilled: boolean } | null>;
      for (const system of ["old", "new"] as const) {
        const query = system === "old" ? m.queryOld : m.queryNew;
        if (!query || (m.system !== "both" && m.system !== system)) {
          perSystem[system] = null;
          continue;
        }
        let samples = view.rows.filter((r) => r.metricId === m.id && r.system === system).map(toSample);
        let backfilled = false;
        // Older than our first stored sample: ask Prometheus for the rest of the window.
        const first = samples[0]?.at ?? now;
        if (target && first - since > 2 * view.c.pollIntervalMs) {
          const step = Math.max(1, Math.ceil(q.rangeSec / 300));
          const older = await queryRange(target, query, since, first - 1, step);
          if (older.samples.length) {
            samples = [...older.samples, ...samples];
            backfilled = true;
          }
        }
        const thresholds = { direction: m.direction, warning: m.warningThreshold, critical: m.criticalThreshold };
        const tile = target ? tileState(samples, thresholds, now, staleAfterMs) : ({ kind: "error", lastValue: null, since: null, reason: "no Prometheus source configured for this cutover" } as const);
        perSystem[system] = { samples: thin(samples, 400), tile, backfilled };
      }
      return { id: m.id, name: m.name, unit: m.unit, system: m.system, queryOld: m.queryOld, queryNew: m.queryNew, direction: m.direction, warningThreshold: m.warningThreshold, criticalThreshold: m.criticalThreshold, ...perSystem };
    }),
  );
  return {
    now,
    rangeSec: q.rangeSec,
    settings: {
      prometheusSource: view.c.prometheusSource,
      defaultSource: (await resolvePrometheus(null))?.name ?? null,
      pollIntervalMs: view.c.pollIntervalMs,
      sampleRetentionDays: view.c.sampleRetentionDays,
      // Names and kinds only, for those who pick one.
      choices: view.editor ? await integrationChoices("prometheus") : null,
    },
    metrics: series,
    markers: view.markers,
    successCriteria: view.success,
    gates: view.gateRows.map((g) => ({ id: g.id, metricId: g.metricId, decisionId: g.decisionId, successCriterion: g.successCriterion, label: describeGate(g.condition as GateCondition, g.metric.name, g.metric.unit) })),
  };
}
export type { MetricsView };

/** "Test query", inside the transaction: the query is checked and the cutover's source read. */
export async function readQueryTarget(ctx: CutoverContext, input: z.output<typeof testQueryInput>) {
  checkQuery("Query", input.query);
  return ctx.tx.cutover.findUniqueOrThrow({ where: { id: input.cutoverId }, select: { prometheusSource: true } });
}

/** After the read committed: asks Prometheus (never inside a transaction); answers the value or a short reason. */
export async function testQuery(c: { prometheusSource: string | null }, input: z.output<typeof testQueryInput>) {
  const target = await prometheusTarget(c);
  if (!target) throw new AppError("bad_request", "No Prometheus source: pick one for this cutover (an administrator defines them)");
  const sample = await queryInstant(target, input.query);
  return sample.status === "ok" ? { at: sample.at, status: sample.status, value: sample.value } : { at: sample.at, status: sample.status, value: null, reason: shortReason(sample.reason) };
}

export async function deleteExpiredSamples(): Promise<number> {
  const r = await db().$executeRawUnsafe(
    `DELETE FROM metric_samples s USING metric_definitions m, cutovers c
      WHERE s.metric_id = m.id AND m.cutover_id = c.id AND s.at < now() - make_interval(days => c.sample_retention_days)`,
  );
  return r;
}
