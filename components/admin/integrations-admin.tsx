"use client";
// The administrators' integrations catalog: what is defined (file entries read-only), a form per
// kind an administrator may define, and the outbound allow-list. Every change goes through the
// command table (roomAction), then the page reloads its data.
import { useRouter } from "next/navigation";
import { useState } from "react";
import { roomAction } from "@/lib/actions/room";
import type { IntegrationsView } from "@/lib/schemas/views";
import { ErrorNote } from "@/components/ui/error-note";
import { Field, TextField } from "@/components/ui/field";
import { BUTTON_CLASS, INPUT_CLASS, PANEL_CLASS, PRIMARY_BUTTON_CLASS, submitForm, useCommand } from "@/components/war-room/shared/format";
import { TEXT } from "@/lib/domain/limits";

type Row = IntegrationsView["integrations"][number];

/** What an administrator may define through the app; the rest comes from the server configuration file. */
const FORMS = {
  "router:webhook": "Router: webhook",
  "router:haproxy": "Router: HAProxy runtime API over TCP",
  "hook:webhook": "Rollback hook: webhook",
  "prometheus:prometheus": "Prometheus source",
  "channel:slack": "Channel: Slack-compatible webhook",
  "channel:webhook": "Channel: signed JSON webhook",
  "channel:email": "Channel: email (SMTP)",
} as const;
type FormKey = keyof typeof FORMS;

const TYPE_LABEL: Record<string, string> = { router: "Router", hook: "Rollback hook", prometheus: "Prometheus source", channel: "Channel" };

function settingsText(settings: Record<string, unknown>): string {
  return Object.entries(settings)
    .filter(([k, v]) => v !== undefined && k !== "kind")
    .map(([k, v]) => `${k}: ${typeof v === "object" ? JSON.stringify(v) : String(v)}`)
    .join(" · ");
}

export function IntegrationsAdmin({ view }: { view: IntegrationsView }) {
  const router = useRouter();
  const [editing, setEditing] = useState<{ key: FormKey; row: Row | null } | null>(null);
  const done = () => {
    setEditing(null);
    router.refresh();
  };
  return (
    <div className="space-y-6">
      <section className={PANEL_CLASS} aria-labelledby="catalog-heading">
        <header className="flex flex-wrap items-center justify-between gap-2 border-b border-neutral-200 px-3 py-2 dark:border-neutral-800">
          <h2 id="catalog-heading" className="font-semibold">
            Catalog
          </h2>
          <div className="flex flex-wrap gap-1">
            {(Object.keys(FORMS) as FormKey[]).map((key) => (
              <button key={key} type="button" className={BUTTON_CLASS} onClick={() => setEditing({ key, row: null })}>
                New {FORMS[key].toLowerCase()}
              </button>
            ))}
          </div>
        </header>
        {editing && <IntegrationForm key={`${editing.key}:${editing.row?.name ?? ""}`} formKey={editing.key} row={editing.row} onDone={done} onCancel={() => setEditing(null)} />}
        <ul className="divide-y divide-neutral-200 dark:divide-neutral-800" data-testid="integrations">
          {view.integrations.length === 0 && <li className="px-3 py-2 text-sm text-muted">Nothing defined yet.</li>}
          {view.integrations.map((row) => (
            <IntegrationRow key={row.name} row={row} onEdit={() => setEditing({ key: `${row.type}:${row.kind}` as FormKey, row })} onDone={done} />
          ))}
        </ul>
      </section>
      <AllowList hosts={view.allowHosts} onDone={done} />
      {view.changes.length > 0 && (
        <section className={PANEL_CLASS} aria-labelledby="changes-heading">
          <h2 id="changes-heading" className="border-b border-neutral-200 px-3 py-2 font-semibold dark:border-neutral-800">
            Recent changes
          </h2>
          <ul className="divide-y divide-neutral-100 text-sm dark:divide-neutral-800" data-testid="catalog-changes">
            {view.changes.map((c, i) => (
              <li key={`${c.at}-${i}`} className="px-3 py-1">
                <time dateTime={c.at} className="tabular text-muted">
                  {new Date(c.at).toLocaleString()}
                </time>{" "}
                · {c.actor} · {c.action} · <span className="font-mono">{c.subject.replace(/^(integration|host):/, "")}</span>
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}

function IntegrationRow({ row, onEdit, onDone }: { row: Row; onEdit: () => void; onDone: () => void }) {
  const { pending, error, exec } = useCommand();
  const editable = row.source === "db" && `${row.type}:${row.kind}` in FORMS;
  return (
    <li className="px-3 py-2 text-sm" data-testid="integration" data-name={row.name} data-source={row.source}>
      <div className="flex flex-wrap items-center gap-2">
        <span className="font-medium">{row.name}</span>
        <span className="text-xs text-muted">
          {TYPE_LABEL[row.type] ?? row.type} · {row.kind}
        </span>
        {row.source === "file" && <span className="rounded border border-neutral-300 px-1 text-xs text-neutral-600 dark:border-neutral-700 dark:text-neutral-300">read-only: from the server configuration</span>}
        {row.hasSecret && <span className="text-xs text-muted">secret set (never shown)</span>}
        <span className="text-xs text-muted">{row.usedBy ? `used by ${row.usedBy} setting${row.usedBy === 1 ? "" : "s"}` : "unused"}</span>
        {row.type === "channel" && <ChannelTest name={row.name} />}
        {editable && (
          <span className="ml-auto flex gap-1">
            <button type="button" className={BUTTON_CLASS} onClick={onEdit}>
              Edit
            </button>
            <button
              type="button"
              className={BUTTON_CLASS}
              disabled={pending}
              aria-label={`Remove ${row.name}`}
              onClick={() => {
                if (!window.confirm(`Remove the integration "${row.name}"?`)) return;
                void exec(() => roomAction("integration.remove", { name: row.name })).then((ok) => ok && onDone());
              }}
            >
              Remove
            </button>
          </span>
        )}
      </div>
      <p className="mt-0.5 break-all font-mono text-xs text-neutral-600 dark:text-neutral-300">{settingsText(row.settings)}</p>
      <ErrorNote message={error} />
    </li>
  );
}

/** Sends a test message through a channel now and says what happened. */
function ChannelTest({ name }: { name: string }) {
  const { pending, error, exec } = useCommand();
  const [outcome, setOutcome] = useState<{ ok: boolean; status: string } | null>(null);
  return (
    <span className="flex items-center gap-1 text-xs" data-testid="channel-test">
      <button
        type="button"
        className={BUTTON_CLASS}
        disabled={pending}
        aria-label={`Send a test message through ${name}`}
        onClick={() => {
          setOutcome(null);
          void exec(async () => {
            const r = await roomAction("channel.test", { name });
            if (r.ok) setOutcome(r.data as { ok: boolean; status: string });
            return r;
          });
        }}
      >
        Send a test message
      </button>
      {outcome && (
        <span role="status" className={outcome.ok ? "text-green-800 dark:text-green-300" : "text-red-800 dark:text-red-300"}>
          {outcome.ok ? "Delivered" : `Not delivered: ${outcome.status}`}
        </span>
      )}
      <ErrorNote message={error} />
    </span>
  );
}

function IntegrationForm({ formKey, row, onDone, onCancel }: { formKey: FormKey; row: Row | null; onDone: () => void; onCancel: () => void }) {
  const { pending, error, exec, setError } = useCommand();
  const [type, kind] = formKey.split(":") as [string, string];
  const stored = (row?.config ?? {}) as Record<string, unknown>;
  const str = (k: string) => (typeof stored[k] === "string" ? (stored[k] as string) : undefined);
  const socket = stored.socket as { host?: string; port?: number } | undefined;
  const [auth, setAuth] = useState<"keep" | "none" | "bearer" | "basic">(row?.hasSecret ? "keep" : "none");

  const onSubmit = submitForm(async ({ data, text }) => {
    const name = row?.name ?? text("name");
    const optionalInt = (k: string) => (text(k) === "" ? undefined : Number(text(k)));
    const secretText = String(data.get("secret") ?? "");
    // Blank keeps the stored secret (only while the address stays the same: the server checks).
    const secret = secretText ? secretText : row?.hasSecret ? (data.get("removeSecret") ? null : undefined) : undefined;
    let config: Record<string, unknown>;
    if (formKey === "router:webhook") {
      config = { url: text("url"), readUrl: text("readUrl") || undefined, headerName: text("headerName") || undefined, timeoutMs: optionalInt("timeoutMs"), secret };
    } else if (formKey === "router:haproxy") {
      config = { socket: { host: text("host"), port: Number(text("port")) }, backend: text("backend"), oldServer: text("oldServer"), newServer: text("newServer"), timeoutMs: optionalInt("timeoutMs") };
    } else if (formKey === "hook:webhook" || formKey === "channel:webhook") {
      config = { url: text("url"), timeoutMs: optionalInt("timeoutMs"), secret };
    } else if (formKey === "channel:slack") {
      // The webhook URL is the credential: blank keeps the stored one.
      const url = String(data.get("slackUrl") ?? "").trim();
      config = { timeoutMs: optionalInt("timeoutMs"), ...(url && { url }) };
    } else if (formKey === "channel:email") {
      const username = text("username");
      const password = String(data.get("password") ?? "");
      const removeCredentials = row?.hasSecret && data.get("removeSecret");
      config = {
        host: text("host"),
        port: optionalInt("port"),
        security: text("security") || undefined,
        from: text("from"),
        to: text("to").split(/[\s,;]+/).filter(Boolean),
        timeoutMs: optionalInt("timeoutMs"),
        // Blank keeps the stored user name and password (only while host and port stay the same).
        ...(removeCredentials ? { username: null, password: null } : username || password ? { username, password } : {}),
      };
    } else {
      let authInput: unknown;
      if (auth === "none") authInput = null;
      else if (auth === "bearer") authInput = { kind: "bearer", token: String(data.get("token") ?? "") };
      else if (auth === "basic") authInput = { kind: "basic", username: text("username"), password: String(data.get("password") ?? "") };
      config = { url: text("url"), timeoutMs: optionalInt("timeoutMs"), ...(auth !== "keep" && { auth: authInput }) };
    }
    config = Object.fromEntries(Object.entries(config).filter(([, v]) => v !== undefined));
    if (!name) return setError("Give the integration a name");
    if (await exec(() => roomAction("integration.save", { name, type, kind, config }))) onDone();
  });

  const input = (name: string, label: string, props: { defaultValue?: string | number; type?: string; required?: boolean; width?: string; placeholder?: string } = {}) => (
    <Field label={label}>
      <input
        name={name}
        type={props.type ?? "text"}
        required={props.required}
        defaultValue={props.defaultValue}
        placeholder={props.placeholder}
        autoComplete={props.type === "password" ? "new-password" : "off"}
        className={`${INPUT_CLASS} ${props.width ?? "w-48"} font-mono`}
      />
    </Field>
  );
  const secretField = (label: string) => (
    <>
      {input("secret", row?.hasSecret ? `${label} (set; blank keeps it while the URL stays)` : label, { type: "password", width: "w-56" })}
      {row?.hasSecret && (
        <label className="flex items-center gap-1 text-xs">
          <input type="checkbox" name="removeSecret" /> remove the secret
        </label>
      )}
    </>
  );

  return (
    <form onSubmit={onSubmit} aria-label={`${row ? "Edit" : "New"} ${FORMS[formKey]}`} className="border-b border-neutral-200 p-3 dark:border-neutral-800" autoComplete="off" data-testid="integration-form">
      <h3 className="mb-2 text-sm font-medium">
        {row ? `Edit "${row.name}"` : "New"} · {FORMS[formKey]}
      </h3>
      <div className="flex flex-wrap items-end gap-2">
        {!row && input("name", "Name (letters, digits, - _ .)", { required: true, width: "w-48" })}
        {formKey === "router:webhook" && (
          <>
            {input("url", "URL (POST { percent })", { type: "url", required: true, width: "w-72", defaultValue: str("url") })}
            {input("readUrl", "Read URL (GET → { percent })", { type: "url", width: "w-72", defaultValue: str("readUrl") })}
            {input("headerName", "Signature header", { width: "w-48", defaultValue: str("headerName"), placeholder: "x-warroom-signature" })}
            {secretField("Signing secret (16+ characters)")}
          </>
        )}
        {formKey === "router:haproxy" && (
          <>
            {input("host", "Runtime API host", { required: true, width: "w-48", defaultValue: socket?.host })}
            {input("port", "Port", { type: "number", required: true, width: "w-24", defaultValue: socket?.port })}
            {input("backend", "Backend", { required: true, width: "w-36", defaultValue: str("backend") })}
            {input("oldServer", "Old server", { required: true, width: "w-32", defaultValue: str("oldServer") })}
            {input("newServer", "New server", { required: true, width: "w-32", defaultValue: str("newServer") })}
          </>
        )}
        {formKey === "hook:webhook" && (
          <>
            {input("url", "URL (POST, signed when a secret is set)", { type: "url", required: true, width: "w-72", defaultValue: str("url") })}
            {secretField("Signing secret (optional, 8+ characters)")}
          </>
        )}
        {formKey === "channel:webhook" && (
          <>
            {input("url", "URL (POST, JSON, signed when a secret is set)", { type: "url", required: true, width: "w-72", defaultValue: str("url") })}
            {secretField("Signing secret (optional, 16+ characters)")}
          </>
        )}
        {formKey === "channel:slack" && (
          <>
            {input("slackUrl", row?.hasSecret ? "Incoming webhook URL (set; blank keeps it)" : "Incoming webhook URL (kept secret)", { type: "password", required: !row?.hasSecret, width: "w-96", placeholder: "https://hooks.slack.com/services/…" })}
          </>
        )}
        {formKey === "channel:email" && (
          <>
            {input("host", "SMTP host", { required: true, width: "w-48", defaultValue: str("host") })}
            {input("port", "Port", { type: "number", width: "w-24", defaultValue: typeof stored.port === "number" ? stored.port : 587 })}
            <Field label="Security">
              <select name="security" defaultValue={str("security") ?? "starttls"} className={INPUT_CLASS}>
                <option value="starttls">STARTTLS (required)</option>
                <option value="tls">TLS from the start (port 465)</option>
                <option value="none">none (a local relay)</option>
              </select>
            </Field>
            {input("from", "From address", { type: "email", required: true, width: "w-56", defaultValue: str("from") })}
            {input("to", "Default recipients (comma-separated)", { required: true, width: "w-72", defaultValue: Array.isArray(stored.to) ? (stored.to as string[]).join(", ") : undefined })}
            {input("username", row?.hasSecret ? "User name (set; blank keeps it)" : "User name (optional)", { width: "w-40" })}
            {input("password", row?.hasSecret ? "Password (set; blank keeps it)" : "Password (optional)", { type: "password", width: "w-40" })}
            {row?.hasSecret && (
              <label className="flex items-center gap-1 text-xs">
                <input type="checkbox" name="removeSecret" /> remove the user name and password
              </label>
            )}
          </>
        )}
        {formKey === "prometheus:prometheus" && (
          <>
            {input("url", "Prometheus URL", { type: "url", required: true, width: "w-72", defaultValue: str("url"), placeholder: "http://prometheus.internal:9090" })}
            <Field label="Authentication">
              <select value={auth} onChange={(e) => setAuth(e.target.value as typeof auth)} className={INPUT_CLASS}>
                {row?.hasSecret && <option value="keep">keep the stored credentials</option>}
                <option value="none">none{row?.hasSecret ? " (remove the stored ones)" : ""}</option>
                <option value="bearer">bearer token</option>
                <option value="basic">basic (user and password)</option>
              </select>
            </Field>
            {auth === "bearer" && input("token", "Bearer token", { type: "password", required: true, width: "w-56" })}
            {auth === "basic" && (
              <>
                {input("username", "User name", { required: true, width: "w-40" })}
                {input("password", "Password", { type: "password", required: true, width: "w-40" })}
              </>
            )}
          </>
        )}
        {input("timeoutMs", "Timeout (ms)", { type: "number", width: "w-24", defaultValue: typeof stored.timeoutMs === "number" ? stored.timeoutMs : undefined })}
      </div>
      <div className="mt-2 flex gap-2">
        <button type="submit" className={PRIMARY_BUTTON_CLASS} disabled={pending}>
          {pending ? "Saving…" : "Save"}
        </button>
        <button type="button" className={BUTTON_CLASS} onClick={onCancel}>
          Cancel
        </button>
      </div>
      <ErrorNote message={error} />
    </form>
  );
}

function AllowList({ hosts, onDone }: { hosts: IntegrationsView["allowHosts"]; onDone: () => void }) {
  const add = useCommand();
  const remove = useCommand();
  const onSubmit = submitForm(
    async ({ text }) => {
      const ok = await add.exec(() => roomAction("outbound.allow", { host: text("host"), note: text("note") || undefined }));
      if (ok) onDone();
      return ok;
    },
    { reset: true },
  );
  return (
    <section className={PANEL_CLASS} aria-labelledby="allow-heading">
      <header className="border-b border-neutral-200 px-3 py-2 dark:border-neutral-800">
        <h2 id="allow-heading" className="font-semibold">
          Outbound allow-list
        </h2>
        <p className="text-xs text-muted">Outbound requests never reach loopback, private or link-local addresses unless the host is listed here (a name, an address, or a range such as 10.0.0.0/8).</p>
      </header>
      <ul className="divide-y divide-neutral-200 dark:divide-neutral-800" data-testid="allow-list">
        {hosts.length === 0 && <li className="px-3 py-2 text-sm text-muted">No host is allowed: only public addresses are reached.</li>}
        {hosts.map((h) => (
          <li key={`${h.source}:${h.host}`} className="flex items-center gap-2 px-3 py-1.5 text-sm" data-testid="allowed-host">
            <span className="font-mono">{h.host}</span>
            {h.note && <span className="text-muted">{h.note}</span>}
            {h.source === "file" ? (
              <span className="ml-auto text-xs text-muted">read-only: from the server configuration</span>
            ) : (
              <button
                type="button"
                className={`${BUTTON_CLASS} ml-auto`}
                disabled={remove.pending}
                aria-label={`Remove ${h.host}`}
                onClick={() => void remove.exec(() => roomAction("outbound.disallow", { host: h.host })).then((ok) => ok && onDone())}
              >
                Remove
              </button>
            )}
          </li>
        ))}
      </ul>
      <ErrorNote message={remove.error} />
      <form onSubmit={onSubmit} aria-label="Allow a host" className="flex flex-wrap items-end gap-2 p-3">
        <TextField label="Host, address or range" name="host" required maxLength={255} className="w-64 font-mono" />
        <TextField label="Note (optional)" name="note" maxLength={TEXT.name} className="w-64" />
        <button type="submit" className={PRIMARY_BUTTON_CLASS} disabled={add.pending}>
          Allow
        </button>
        <ErrorNote message={add.error} />
      </form>
    </section>
  );
}
