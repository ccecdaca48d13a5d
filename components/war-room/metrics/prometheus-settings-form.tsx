"use client";
import { ErrorNote } from "@/components/ui/error-note";
import { Field, TextField } from "@/components/ui/field";
import type { MetricsData } from "@/lib/client/metric-samples";
import { INPUT_CLASS, submitForm, useCommand } from "../shared/format";
import { SubmitButton } from "../shared/parts";
import type { RunCommand } from "../shared/types";

/** The cutover's Prometheus, picked by name from the catalog (an administrator defines sources), and the polling. */
export function PrometheusSettingsForm({
  cutoverId,
  settings,
  run,
  saved,
  onSaved: setSaved,
}: {
  cutoverId: string;
  settings: MetricsData["settings"];
  run: RunCommand;
  saved: boolean;
  onSaved: (saved: boolean) => void;
}) {
  const { pending, error, exec, setError } = useCommand();
  const choices = settings.choices ?? [];

  const onSubmit = submitForm(async ({ text }) => {
    setSaved(false);
    const source = text("prometheusSource");
    const pollSec = Number(text("pollSeconds"));
    const retention = Number(text("retentionDays"));
    if (!Number.isFinite(pollSec) || pollSec < 1 || pollSec > 600) return setError("Poll interval: 1 to 600 seconds");
    if (!Number.isInteger(retention) || retention < 1 || retention > 365) return setError("Retention: 1 to 365 whole days");
    const ok = await exec(() =>
      run("metrics.settings", {
        cutoverId,
        prometheusSource: source === "" ? null : source,
        pollIntervalMs: Math.round(pollSec * 1000),
        sampleRetentionDays: retention,
      }),
    );
    if (ok) setSaved(true);
  });

  return (
    <form onSubmit={onSubmit} aria-label="Prometheus settings" className="px-3 py-2 text-sm" autoComplete="off">
      <h4 className="text-xs font-medium uppercase text-muted">Prometheus</h4>
      <div className="mt-1 flex flex-wrap items-end gap-2">
        <Field label="Prometheus source">
          <select name="prometheusSource" defaultValue={settings.prometheusSource ?? ""} className={`${INPUT_CLASS} w-72`}>
            <option value="">{settings.defaultSource ? `server default (${settings.defaultSource})` : "none"}</option>
            {choices.map((c) => (
              <option key={c.name} value={c.name}>
                {c.name}
                {c.source === "file" ? " (server configuration)" : ""}
              </option>
            ))}
          </select>
        </Field>
        <TextField label="Poll every (s)" name="pollSeconds" type="number" min={1} max={600} step={1} required defaultValue={Math.round(settings.pollIntervalMs / 1000)} className="w-20 tabular" />
        <TextField label="Keep samples (days)" name="retentionDays" type="number" min={1} max={365} step={1} required defaultValue={settings.sampleRetentionDays} className="w-20 tabular" />
        <SubmitButton pending={pending} busyLabel="Saving…">
          Save settings
        </SubmitButton>
      </div>
      <p className="mt-1 text-xs text-muted" data-testid="prometheus-source-note">
        Sources, their addresses and credentials are kept by administrators (Administration → Integrations); the room picks one by name.
        {saved && <span className="ml-2 text-green-800 dark:text-green-300">Saved.</span>}
      </p>
      <ErrorNote message={error} testId="metrics-settings-error" />
    </form>
  );
}
