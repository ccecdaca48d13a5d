"use client";
// The administrators' SSO page: what the operator configured (read-only, never the client secret),
// the group mapping (one group per line, saved through the command table), and who signed in how.
import { useRouter } from "next/navigation";
import { roomAction } from "@/lib/actions/room";
import { ErrorNote } from "@/components/ui/error-note";
import { Field } from "@/components/ui/field";
import { INPUT_CLASS, PANEL_CLASS, PRIMARY_BUTTON_CLASS, submitForm, useCommand } from "@/components/war-room/shared/format";

export interface SsoView {
  oidc: { name: string; issuer: string; groupsClaim: string; scopes: string } | null;
  passwordSignIn: boolean;
  redirectUri: string;
  mapping: { administratorGroups: readonly string[]; plannerGroups: readonly string[] };
  identities: { subject: string; groups: string[]; lastSignInAt: string; user: { id: string; email: string; name: string; isAdmin: boolean; isPlanner: boolean; disabledAt: string | null } }[];
}

const lines = (text: string) =>
  text
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean);

export function SsoMapping({ view }: { view: SsoView }) {
  const router = useRouter();
  const { pending, error, exec } = useCommand();
  const save = submitForm(async ({ text }) => {
    const ok = await exec(() => roomAction("sso.set_mapping", { administratorGroups: lines(text("administratorGroups")), plannerGroups: lines(text("plannerGroups")) }));
    if (ok) router.refresh();
    return ok;
  });
  return (
    <div className="space-y-6">
      <section className={`${PANEL_CLASS} p-3 text-sm`} aria-labelledby="sso-config-heading" data-testid="sso-config">
        <h2 id="sso-config-heading" className="mb-2 font-semibold">
          Configuration
        </h2>
        {view.oidc ? (
          <dl className="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1">
            <dt className="text-muted">Provider</dt>
            <dd>{view.oidc.name}</dd>
            <dt className="text-muted">Issuer</dt>
            <dd className="font-mono">{view.oidc.issuer}</dd>
            <dt className="text-muted">Redirect URI to register</dt>
            <dd className="font-mono">{view.redirectUri}</dd>
            <dt className="text-muted">Groups claim</dt>
            <dd className="font-mono">{view.oidc.groupsClaim}</dd>
            <dt className="text-muted">Scopes</dt>
            <dd className="font-mono">{view.oidc.scopes}</dd>
            <dt className="text-muted">Password sign-in</dt>
            <dd>{view.passwordSignIn ? "on" : "off"}</dd>
          </dl>
        ) : (
          <p className="text-muted">Single sign-on is not configured: set OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET (see the README). The mapping below applies once it is.</p>
        )}
      </section>

      <section className={`${PANEL_CLASS} p-3`} aria-labelledby="sso-mapping-heading">
        <h2 id="sso-mapping-heading" className="mb-1 font-semibold">
          Groups to roles
        </h2>
        <p className="mb-3 text-sm text-muted">
          One group per line, as the provider names it. Members of any listed group hold the role; when a list is empty, that role is granted by hand on the Users page.
          Applied at each person&apos;s next sign-in; the last administrator is never removed.
        </p>
        <form onSubmit={save} className="grid gap-3 sm:grid-cols-2">
          <Field label="Administrator groups">
            <textarea name="administratorGroups" rows={4} defaultValue={view.mapping.administratorGroups.join("\n")} className={`${INPUT_CLASS} font-mono`} />
          </Field>
          <Field label="Planner groups">
            <textarea name="plannerGroups" rows={4} defaultValue={view.mapping.plannerGroups.join("\n")} className={`${INPUT_CLASS} font-mono`} />
          </Field>
          <div className="sm:col-span-2">
            <button type="submit" disabled={pending} className={PRIMARY_BUTTON_CLASS}>
              {pending ? "Saving…" : "Save mapping"}
            </button>
            <ErrorNote message={error} />
          </div>
        </form>
      </section>

      <section className={PANEL_CLASS} aria-labelledby="sso-identities-heading">
        <h2 id="sso-identities-heading" className="border-b border-neutral-200 px-3 py-2 font-semibold dark:border-neutral-800">
          Signed in through SSO
        </h2>
        <ul className="divide-y divide-neutral-200 text-sm dark:divide-neutral-800" data-testid="sso-identities">
          {view.identities.length === 0 && <li className="px-3 py-2 text-muted">Nobody yet.</li>}
          {view.identities.map((i) => (
            <li key={`${i.user.id}:${i.subject}`} className="flex flex-wrap items-baseline justify-between gap-2 px-3 py-2">
              <span>
                <span className="font-medium">{i.user.name}</span> <span className="text-muted">{i.user.email}</span>
                {i.user.isAdmin && <span className="ml-2 rounded bg-neutral-100 px-1 text-xs dark:bg-neutral-800">administrator</span>}
                {i.user.isPlanner && <span className="ml-2 rounded bg-neutral-100 px-1 text-xs dark:bg-neutral-800">planner</span>}
                {i.user.disabledAt && <span className="ml-2 rounded bg-red-100 px-1 text-xs text-red-800 dark:bg-red-950 dark:text-red-200">disabled</span>}
              </span>
              <span className="text-xs text-muted">
                groups: {i.groups.length ? i.groups.join(", ") : "none"} · last sign-in {new Date(i.lastSignInAt).toLocaleString()}
              </span>
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}
