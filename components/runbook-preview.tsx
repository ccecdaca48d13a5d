"use client";
// What a pasted runbook would create, per kind, before anything is written: the answer of
// cutover.preview (POST /api/v1/cutovers?dryRun=1). The user unticks phases, sections or whole
// kinds; the counts follow at once (the same pure functions the server applies on create), and
// the create sends the same exclusion list. All text is rendered as text.
import { applyExclusions, countPlan, type ImportKind } from "@/lib/domain/runbook/preview";
import type { ImportedPlan, ImportedSkip } from "@/lib/domain/runbook-import";
import { ROLE_LABELS } from "@/lib/domain/roles";
import { DEFAULT_METRICS } from "@/lib/domain/default-metrics";

export interface RunbookPreviewData {
  plan: ImportedPlan;
  warnings: string[];
  skipped: ImportedSkip[];
}

const KIND_LABELS: [ImportKind, string][] = [
  ["items", "Checklist items"],
  ["thresholds", "Thresholds"],
  ["rules", "Rollback triggers"],
  ["gates", "Metric gates"],
  ["contacts", "Contacts"],
  ["escalation", "Escalation ladder"],
  ["links", "War-room links"],
  ["templates", "Announcement templates"],
  ["risks", "Risks"],
  ["timeline", "Schedule"],
];


/** A matched metric's thresholds today (a new cutover's defaults), shown before the imported ones. */
function before(metric: string | null): string {
  const m = metric ? DEFAULT_METRICS.find((d) => d.name === metric) : undefined;
  return m ? `${fmt(m.warning, m.unit)} / ${fmt(m.critical, m.unit)} ` : "";
}

function fmt(n: number | null, unit: string): string {
  return n === null ? "–" : `${n}${unit ? ` ${unit}` : ""}`;
}

export function RunbookPreview({ data, exclude, onToggle }: { data: RunbookPreviewData; exclude: readonly string[]; onToggle: (key: string, excluded: boolean) => void }) {
  const chosen = applyExclusions(data.plan, exclude);
  const counts = countPlan(chosen);
  const off = new Set(exclude);
  const box = (key: string, label: string, testId: string) => (
    <label className="inline-flex items-center gap-1">
      <input type="checkbox" checked={!off.has(key)} onChange={(e) => onToggle(key, !e.target.checked)} data-testid={testId} aria-label={label} />
      <span>{label}</span>
    </label>
  );
  return (
    <section data-testid="runbook-preview" className="space-y-3 rounded border border-neutral-200 p-3 text-sm dark:border-neutral-800">
      <h2 className="font-semibold">Preview: what will be created</h2>
      <ul className="grid grid-cols-2 gap-x-4 sm:grid-cols-3" data-testid="preview-counts">
        {(["phases", "sections", "items", "decisions", "thresholds", "newMetrics", "rules", "gates", "contacts", "escalation", "links", "templates", "risks", "timeline", "skipped"] as const).map((k) => (
          <li key={k}>
            {k === "newMetrics" ? "new metrics (query needed)" : k}: <span data-testid={`preview-count-${k}`}>{counts[k]}</span>
          </li>
        ))}
      </ul>

      <div className="flex flex-wrap gap-3" aria-label="Kinds to import">
        {KIND_LABELS.map(([k, label]) => (
          <span key={k}>{box(`kind:${k}`, label, `preview-kind-${k}`)}</span>
        ))}
      </div>

      <div className="space-y-2">
        <h3 className="font-medium">Phases and sections</h3>
        {data.plan.phases.map((p, pi) => (
          <div key={pi} className="rounded border border-neutral-200 p-2 dark:border-neutral-800" data-testid="preview-phase">
            <div className="font-medium">
              {box(`phase:${pi}`, p.name, `preview-phase-${pi}`)} {p.plannedTime ? <span className="text-muted">({p.plannedTime})</span> : null}
              {p.decision ? <span className="ml-2 text-muted">decision: {p.decision.title}</span> : null}
            </div>
            <ul className="ml-5 space-y-1">
              {p.sections.map((s, si) => (
                <li key={si} data-testid="preview-section">
                  {box(`section:${pi}.${si}`, `${s.name} (${s.items.length} items)`, `preview-section-${pi}-${si}`)}
                  <ul className="ml-5 list-disc text-neutral-600 dark:text-neutral-400">
                    {s.items.map((it, ii) => (
                      <li key={ii} data-testid="preview-item">
                        {it.title} <span className="text-xs">· {ROLE_LABELS[it.ownerRole]}{it.plannedTime ? ` · ${it.plannedTime}` : ""}</span>
                      </li>
                    ))}
                  </ul>
                </li>
              ))}
            </ul>
          </div>
        ))}
      </div>

      {chosen.thresholds.length > 0 && (
        <div>
          <h3 className="font-medium">Thresholds (warning / critical)</h3>
          <ul className="ml-5 list-disc" data-testid="preview-thresholds">
            {chosen.thresholds.map((t, i) => (
              <li key={i}>
                {t.metric ?? `${t.name} (new metric, query needed)`}: {before(t.metric)}→ {fmt(t.warning, t.unit)} / {fmt(t.critical, t.unit)} ({t.direction})
              </li>
            ))}
          </ul>
        </div>
      )}
      {chosen.rules.length > 0 && (
        <div>
          <h3 className="font-medium">Rollback triggers (created in recommend mode: confirm each)</h3>
          <ul className="ml-5 list-disc" data-testid="preview-rules">
            {chosen.rules.map((r, i) => (
              <li key={i}>
                {r.alertName !== undefined ? `alert ${r.alertName} firing` : `${r.metric ?? `${r.name} (new metric)`} ${r.comparison} ${r.threshold} ${r.unit}`} for {r.forSeconds} s → {r.action} ({r.severity})
              </li>
            ))}
          </ul>
        </div>
      )}
      {chosen.gates.length > 0 && (
        <div>
          <h3 className="font-medium">Metric gates</h3>
          <ul className="ml-5 list-disc" data-testid="preview-gates">
            {chosen.gates.map((g, i) => (
              <li key={i}>
                {g.metric ?? g.name} {g.comparison} {g.value} {g.unit} · {g.phase ? `decision of “${g.phase}”` : "success criterion"}
              </li>
            ))}
          </ul>
        </div>
      )}
      {chosen.contacts.length + chosen.escalation.length + chosen.links.length + chosen.templates.length + chosen.risks.length + chosen.timeline.length > 0 && (
        <ul className="ml-5 list-disc" data-testid="preview-other">
          {chosen.contacts.map((c, i) => (
            <li key={`c${i}`}>Contact: {c.name} ({ROLE_LABELS[c.role]})</li>
          ))}
          {chosen.escalation.map((e, i) => (
            <li key={`e${i}`}>Escalation: {e.level} – {e.who} {e.after}</li>
          ))}
          {chosen.links.map((l, i) => (
            <li key={`l${i}`}>Link: {l.label} ({l.url})</li>
          ))}
          {chosen.templates.map((t, i) => (
            <li key={`t${i}`}>Template: {t.name}</li>
          ))}
          {chosen.risks.map((r, i) => (
            <li key={`r${i}`}>Risk: {r.title}</li>
          ))}
          {chosen.timeline.map((t, i) => (
            <li key={`s${i}`}>Schedule: {t.time} {t.title}</li>
          ))}
        </ul>
      )}
      {data.skipped.length > 0 && (
        <details data-testid="preview-skipped">
          <summary>Not imported ({data.skipped.length} lines, kept as notes)</summary>
          <ul className="ml-5 list-disc font-mono text-xs">
            {data.skipped.map((s, i) => (
              <li key={i}>
                line {s.line}: {s.text}
              </li>
            ))}
          </ul>
        </details>
      )}
      {data.warnings.length > 0 && (
        <details>
          <summary>Warnings ({data.warnings.length})</summary>
          <ul className="ml-5 list-disc text-xs">
            {data.warnings.map((w, i) => (
              <li key={i}>{w}</li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}
