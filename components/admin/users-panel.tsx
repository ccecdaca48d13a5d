"use client";
// The administrators' accounts page: invite or create users, show a one-time link once, disable
// and enable, reset passwords, grant or revoke administrator and planner. Every button is a
// command of the table (user.*): the server decides, the page only asks and shows the answer.
import { useRouter } from "next/navigation";
import { useState } from "react";
import { accountAction } from "@/lib/actions/accounts";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { ACTIONS_COLUMN, DataTable } from "@/components/ui/data-table";
import { ErrorNote } from "@/components/ui/error-note";
import { TEXT } from "@/lib/domain/limits";

export interface AccountRow {
  id: string;
  email: string;
  name: string;
  isAdmin: boolean;
  isPlanner: boolean;
  disabledAt: string | null;
}
export interface OpenLinkRow {
  id: string;
  email: string;
  name: string;
  kind: "invite" | "reset";
  expiresAt: string;
}

const field = "rounded border border-neutral-300 bg-transparent px-2 py-1.5 dark:border-neutral-700";
const small = "rounded border border-neutral-300 px-2 py-0.5 text-xs hover:bg-neutral-100 dark:border-neutral-700 dark:hover:bg-neutral-800";

type Run = (name: Parameters<typeof accountAction>[0], input: unknown) => Promise<Record<string, unknown> | null>;

export function UsersPanel({ me, users, links }: { me: string; users: AccountRow[]; links: OpenLinkRow[] }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [link, setLink] = useState<{ url: string; email: string; kind: "invite" | "reset" } | null>(null);
  const [confirm, setConfirm] = useState<AccountRow | null>(null);

  const run: Run = async (name, input) => {
    const r = await accountAction(name, input);
    if (!r.ok) {
      setError(r.message);
      return null;
    }
    setError(null);
    router.refresh();
    return (r.data ?? {}) as Record<string, unknown>;
  };
  const showLink = (data: Record<string, unknown> | null, email: string, kind: "invite" | "reset") => {
    if (data && typeof data.path === "string") setLink({ url: `${window.location.origin}${data.path}`, email, kind });
  };

  return (
    <div className="space-y-6">
      <NewUserForm
        onInvite={async (input) => showLink(await run("user.invite", input), input.email, "invite")}
        onCreate={async (input) => {
          setLink(null);
          return (await run("user.create", input)) !== null;
        }}
      />
      <ErrorNote message={error} />
      {link && (
        <div className="rounded border border-amber-300 bg-amber-50 p-3 text-sm dark:bg-amber-950" data-testid="one-time-link">
          {link.kind === "invite" ? "Invitation" : "Password reset link"} for {link.email}. Send it to them now: it is shown only once, works once and expires in 72 hours.
          <code className="mt-1 block break-all font-mono" data-testid="one-time-link-value">
            {link.url}
          </code>
        </div>
      )}

      <DataTable
        caption="Users"
        columns={["Name", "Email", "Global roles", "Status", ACTIONS_COLUMN]}
        className="rounded border border-neutral-200 bg-white dark:border-neutral-800 dark:bg-neutral-900"
      >
        {users.map((u) => (
          <tr key={u.id} data-testid="user-row" data-email={u.email}>
            <td className="px-3 py-2 font-medium">{u.name}</td>
            <td className="px-3 py-2">{u.email}</td>
            <td className="px-3 py-2">
              {u.isAdmin && <span className="mr-1 rounded bg-blue-100 px-1.5 text-blue-800">Administrator</span>}
              {u.isPlanner && <span className="mr-1 rounded bg-green-100 px-1.5 text-green-800">Planner</span>}
              {!u.isAdmin && !u.isPlanner && <span className="text-muted">—</span>}
            </td>
            <td className="px-3 py-2" data-testid="user-status">
              {u.disabledAt ? <span className="text-red-700 dark:text-red-300">disabled</span> : "active"}
            </td>
            <td className="px-3 py-2">
              <div className="flex flex-wrap gap-1 sm:flex-nowrap">
                {u.id !== me && (u.disabledAt ? <button className={small} onClick={() => void run("user.enable", { userId: u.id })}>Enable</button> : <button className={small} onClick={() => setConfirm(u)}>Disable</button>)}
                {!u.disabledAt && (
                  <button className={small} onClick={async () => showLink(await run("user.reset_password", { userId: u.id }), u.email, "reset")}>
                    Reset link
                  </button>
                )}
                <SetPassword onSet={(password) => run("user.reset_password", { userId: u.id, password }).then((d) => d !== null)} />
                {u.id !== me && (
                  <button className={small} onClick={() => void run("user.set_roles", { userId: u.id, isAdmin: !u.isAdmin })}>
                    {u.isAdmin ? "Revoke administrator" : "Make administrator"}
                  </button>
                )}
                <button className={small} onClick={() => void run("user.set_roles", { userId: u.id, isPlanner: !u.isPlanner })}>
                  {u.isPlanner ? "Revoke planner" : "Make planner"}
                </button>
              </div>
            </td>
          </tr>
        ))}
      </DataTable>

      {links.length > 0 && (
        <section>
          <h2 className="mb-2 font-semibold">Open links</h2>
          <ul className="divide-y divide-neutral-200 rounded border border-neutral-200 bg-white text-sm dark:divide-neutral-800 dark:border-neutral-800 dark:bg-neutral-900">
            {links.map((l) => (
              <li key={l.id} className="px-3 py-2" data-testid="open-link">
                {l.kind === "invite" ? "Invitation" : "Reset link"} for <span className="font-medium">{l.name}</span> ({l.email}), expires {new Date(l.expiresAt).toLocaleString()}
              </li>
            ))}
          </ul>
        </section>
      )}

      {confirm && (
        <ConfirmDialog title={`Disable ${confirm.name}?`} tone="danger" onClose={() => setConfirm(null)} testId="disable-dialog">
          <p className="my-3 text-sm">They are signed out everywhere at once: their sessions, API tokens and open rooms stop working. You can enable the account again later.</p>
          <div className="flex justify-end gap-2">
            <button data-autofocus className="rounded border border-neutral-300 px-3 py-1.5 text-sm" onClick={() => setConfirm(null)}>
              Cancel
            </button>
            <button
              className="rounded bg-red-700 px-3 py-1.5 text-sm font-medium text-white"
              onClick={async () => {
                const target = confirm;
                setConfirm(null);
                await run("user.disable", { userId: target.id });
              }}
            >
              Disable
            </button>
          </div>
        </ConfirmDialog>
      )}
    </div>
  );
}

function NewUserForm({ onInvite, onCreate }: { onInvite: (i: { email: string; name: string; isAdmin: boolean; isPlanner: boolean }) => Promise<void>; onCreate: (i: { email: string; name: string; password: string; isAdmin: boolean; isPlanner: boolean }) => Promise<boolean> }) {
  const [withPassword, setWithPassword] = useState(false);
  return (
    <form
      className="flex flex-wrap items-end gap-2 rounded border border-neutral-200 bg-white p-3 dark:border-neutral-800 dark:bg-neutral-900"
      aria-label="New user"
      onSubmit={async (e) => {
        e.preventDefault();
        const form = e.currentTarget;
        const f = new FormData(form);
        const base = { email: String(f.get("email") ?? ""), name: String(f.get("name") ?? ""), isAdmin: f.get("isAdmin") === "on", isPlanner: f.get("isPlanner") === "on" };
        if (withPassword) {
          if (await onCreate({ ...base, password: String(f.get("password") ?? "") })) form.reset();
        } else {
          await onInvite(base);
          form.reset();
        }
      }}
    >
      <label className="flex flex-col text-xs text-muted">
        Email
        <input name="email" type="email" required maxLength={TEXT.email} className={field} />
      </label>
      <label className="flex flex-col text-xs text-muted">
        Name
        <input name="name" required maxLength={TEXT.name} className={field} />
      </label>
      {withPassword && (
        <label className="flex flex-col text-xs text-muted">
          Initial password (12+)
          <input name="password" type="password" autoComplete="new-password" minLength={12} required className={field} />
        </label>
      )}
      <label className="flex items-center gap-1 text-sm">
        <input type="checkbox" name="isPlanner" /> Planner
      </label>
      <label className="flex items-center gap-1 text-sm">
        <input type="checkbox" name="isAdmin" /> Administrator
      </label>
      <label className="flex items-center gap-1 text-sm text-muted">
        <input type="checkbox" checked={withPassword} onChange={(e) => setWithPassword(e.target.checked)} /> Set a password instead of inviting
      </label>
      <button className="rounded bg-blue-700 px-3 py-1.5 text-sm font-medium text-white">{withPassword ? "Create user" : "Invite"}</button>
    </form>
  );
}

function SetPassword({ onSet }: { onSet: (password: string) => Promise<boolean> }) {
  const [open, setOpen] = useState(false);
  if (!open)
    return (
      <button className={small} onClick={() => setOpen(true)}>
        Set password
      </button>
    );
  return (
    <form
      className="mt-1 inline-flex gap-1"
      onSubmit={async (e) => {
        e.preventDefault();
        if (await onSet(String(new FormData(e.currentTarget).get("password") ?? ""))) setOpen(false);
      }}
    >
      <input name="password" type="password" aria-label="New password" autoComplete="new-password" minLength={12} required className={`${field} py-0.5 text-xs`} />
      <button className={small}>Save</button>
      <button type="button" className={small} onClick={() => setOpen(false)}>
        Cancel
      </button>
    </form>
  );
}
