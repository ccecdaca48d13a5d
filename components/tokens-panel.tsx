"use client";
import { useState } from "react";
import { createTokenAction, revokeTokenAction } from "@/lib/actions/tokens";
import { ErrorNote } from "@/components/ui/error-note";
import { TEXT } from "@/lib/domain/limits";

interface TokenRow {
  id: string;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export function TokensPanel({ tokens }: { tokens: TokenRow[] }) {
  const [shown, setShown] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  return (
    <div className="space-y-4">
      <form
        className="flex gap-2"
        onSubmit={async (e) => {
          e.preventDefault();
          const form = e.currentTarget;
          const r = await createTokenAction(String(new FormData(form).get("name") ?? ""));
          if (!r.ok) return setError(r.message);
          setError(null);
          form.reset();
          setShown((r.data as { token: string }).token);
        }}
      >
        <input name="name" aria-label="Token name" placeholder="Token name, e.g. ci-pipeline" required maxLength={TEXT.short} className="flex-1 rounded border border-neutral-300 bg-transparent px-3 py-1.5 dark:border-neutral-700" />
        <button className="rounded bg-blue-700 px-3 py-1.5 text-sm font-medium text-white">Create token</button>
      </form>
      <ErrorNote message={error} />
      {shown && (
        <div className="rounded border border-amber-300 bg-amber-50 p-3 text-sm dark:bg-amber-950" data-testid="new-token">
          Copy it now: it is shown only once.
          <code className="mt-1 block break-all font-mono" data-testid="new-token-value">
            {shown}
          </code>
        </div>
      )}
      <ul className="divide-y divide-neutral-200 rounded border border-neutral-200 bg-white dark:divide-neutral-800 dark:border-neutral-800 dark:bg-neutral-900">
        {tokens.length === 0 && <li className="px-3 py-2 text-sm text-muted">No tokens yet.</li>}
        {tokens.map((t) => (
          <li key={t.id} className="flex items-center justify-between px-3 py-2 text-sm" data-testid="token">
            <span>
              <span className="font-medium">{t.name}</span>
              <span className="ml-2 text-muted">
                created {new Date(t.createdAt).toLocaleString()}
                {t.lastUsedAt ? ` · last used ${new Date(t.lastUsedAt).toLocaleString()}` : " · never used"}
              </span>
            </span>
            {t.revokedAt ? (
              <span className="text-muted">revoked</span>
            ) : (
              <button
                className="rounded border border-red-300 px-2 py-0.5 text-red-700 dark:text-red-300"
                onClick={async () => {
                  const r = await revokeTokenAction(t.id);
                  setError(r.ok ? null : r.message);
                }}
              >
                Revoke
              </button>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}
