// A signed action link from a message ("Vote GO", "Confirm rollback"). Without a session the
// proxy (or, for a stale one, this page) sends the person to sign in and back here. Signed in, the
// link is checked for them (lib/services/action-links-use.ts: signature, expiry, recipient, use,
// their roles, the decision or trigger's state) and the action is shown in words with one button;
// nothing happens until they press it. Any refusal is a page that says why.
import Link from "next/link";
import { redirect } from "next/navigation";
import { currentUser } from "@/lib/auth/session";
import { AppError } from "@/lib/errors";
import { previewActionLink, type ActionLinkView } from "@/lib/services/action-links-use";
import { ActionLinkConfirm } from "@/components/action-link-confirm";

export const dynamic = "force-dynamic";
// The token is in the address: never sent on to another site.
export const metadata = { title: "Confirm an action · Cutover War Room", referrer: "no-referrer" };

const BOX = "mx-auto mt-24 max-w-md rounded-lg border border-neutral-200 bg-white p-6 shadow-sm dark:border-neutral-800 dark:bg-neutral-900";

export default async function ActionLinkPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const user = await currentUser();
  if (!user) redirect(`/sign-in?callbackUrl=${encodeURIComponent(`/act/${encodeURIComponent(token)}`)}`);
  let view: ActionLinkView | null = null;
  let problem: string;
  try {
    view = await previewActionLink(user, token);
    problem = "";
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    problem = err.reason === "not_a_member" ? "You hold no role in this cutover (any more): this link cannot be used." : err.message;
  }
  if (!view) {
    return (
      <main className={BOX}>
        <h1 className="mb-1 text-xl font-semibold">This link cannot be used</h1>
        <p role="alert" data-testid="action-link-problem" className="mt-4 rounded border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-950 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-100">
          {problem}
        </p>
        <p className="mt-4 text-sm">
          Nothing was done. Signed in as {user.email}.{" "}
          <Link href="/cutovers" className="text-blue-700 underline dark:text-blue-300">
            Your cutovers
          </Link>
        </p>
      </main>
    );
  }
  const vote = view.action === "decision.vote";
  return (
    <main className={BOX}>
      <h1 className="mb-1 text-xl font-semibold">{vote ? "Your go/no-go vote" : "Confirm a recommended action"}</h1>
      <dl className="mt-4 grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm" data-testid="action-link-summary">
        <dt className="text-neutral-600 dark:text-neutral-400">Cutover</dt>
        <dd className="font-medium">{view.cutoverName}</dd>
        <dt className="text-neutral-600 dark:text-neutral-400">{vote ? "Decision" : "Trigger"}</dt>
        <dd className="font-medium">{view.subject}</dd>
        <dt className="text-neutral-600 dark:text-neutral-400">{vote ? "Your vote" : "Action"}</dt>
        <dd className="font-medium">{vote ? `${view.label.replace(/^Vote /, "")}${view.asRoles.length ? ` (as ${view.asRoles.join(", ")})` : ""}` : view.label.replace(/^Confirm /, "")}</dd>
        <dt className="text-neutral-600 dark:text-neutral-400">Signed in as</dt>
        <dd>{user.email}</dd>
      </dl>
      <p className="mt-4 text-sm text-neutral-700 dark:text-neutral-300">Nothing happens until you press the button. The link works once, for you only, until {new Date(view.expiresAt).toUTCString()}.</p>
      <ActionLinkConfirm cutoverId={view.cutoverId} token={token} label={view.label} danger={!vote || view.label === "Vote NO-GO"} />
    </main>
  );
}
