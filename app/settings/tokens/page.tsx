import { requireUser } from "@/lib/auth/session";
import { listApiTokens } from "@/lib/services/api-tokens";
import { AppHeader } from "@/components/app-header";
import { TokensPanel } from "@/components/tokens-panel";

export const dynamic = "force-dynamic";

export default async function TokensPage() {
  const user = await requireUser();
  const tokens = await listApiTokens(user);
  return (
    <>
      <AppHeader user={user} />
      <main className="mx-auto max-w-3xl p-6">
        <h1 className="mb-2 text-2xl font-semibold">API tokens</h1>
        <p className="mb-4 text-sm text-muted">
          For scripts and CI: send <code>Authorization: Bearer &lt;token&gt;</code> to <code>/api/v1</code>. A token acts as you, with your roles.
        </p>
        <TokensPanel
          tokens={tokens.map((t) => ({ id: t.id, name: t.name, createdAt: t.createdAt.toISOString(), lastUsedAt: t.lastUsedAt?.toISOString() ?? null, revokedAt: t.revokedAt?.toISOString() ?? null }))}
        />
      </main>
    </>
  );
}
