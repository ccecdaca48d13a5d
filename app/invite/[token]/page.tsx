import Link from "next/link";
import { linkInfo, LINK_STATE_MESSAGES } from "@/lib/services/users";
import { InviteForm } from "@/components/admin/users-invite-form";

export const dynamic = "force-dynamic";
export const metadata = { title: "Invitation · Cutover War Room", referrer: "no-referrer" };

export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const link = await linkInfo(token);
  return (
    <main className="mx-auto mt-24 max-w-sm rounded-lg border border-neutral-200 bg-white p-6 shadow-sm dark:border-neutral-800 dark:bg-neutral-900">
      <h1 className="mb-1 text-xl font-semibold">{link.kind === "reset" ? "Choose a new password" : "Join Cutover War Room"}</h1>
      {link.state === "valid" ? (
        <>
          <p className="mb-6 text-sm text-muted">
            {link.kind === "reset" ? "For " : "You were invited as "}
            <span className="font-medium" data-testid="invite-email">
              {link.email}
            </span>
            . The password needs 12 or more characters and must not be a common one.
          </p>
          <InviteForm token={token} email={link.email} name={link.name} kind={link.kind} />
        </>
      ) : (
        <>
          <p role="alert" data-testid="invite-problem" className="mt-4 rounded border border-amber-300 bg-amber-50 px-3 py-2 text-sm dark:bg-amber-950">
            {LINK_STATE_MESSAGES[link.state]}
          </p>
          <Link href="/sign-in" className="mt-4 inline-block text-sm text-blue-700 hover:underline">
            Sign in
          </Link>
        </>
      )}
    </main>
  );
}
