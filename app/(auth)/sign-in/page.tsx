import { SignInForm } from "@/components/sign-in-form";
import { signInSettings } from "@/lib/config";
import { sameOriginPath } from "@/lib/domain/request-input";
import { ssoRefusalMessage } from "@/lib/domain/sso";

export const metadata = { title: "Sign in · Cutover War Room" };
// Which ways in exist is the operator's configuration, read at request time.
export const dynamic = "force-dynamic";

// next-auth's own error codes that can reach this page (pages.error), in words.
const NEXT_AUTH_ERRORS: Record<string, string> = {
  AccessDenied: "Sign-in was refused.",
  OAuthSignin: "Could not reach the identity provider. Try again, or tell an administrator.",
  OAuthCallback: "The identity provider's answer could not be checked. Try again.",
  Callback: "The identity provider's answer could not be checked. Try again.",
  Configuration: "Sign-in is not configured correctly. Tell an administrator.",
};

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string; error?: string }> }) {
  const { callbackUrl, error } = await searchParams;
  // Only paths on this origin: a sign-in link must not send people elsewhere ("/\evil.com" is
  // "//evil.com" to a browser).
  const target = callbackUrl ? sameOriginPath(callbackUrl) : "/cutovers";
  const settings = signInSettings();
  // Only messages of our own: the query string is whatever a link said.
  const message = typeof error === "string" ? (ssoRefusalMessage(error) ?? (Object.hasOwn(NEXT_AUTH_ERRORS, error) ? NEXT_AUTH_ERRORS[error]! : "Sign-in failed. Try again.")) : null;
  return (
    <main className="mx-auto mt-24 max-w-sm rounded-lg border border-neutral-200 bg-white p-6 shadow-sm dark:border-neutral-800 dark:bg-neutral-900">
      <h1 className="mb-1 text-xl font-semibold">Cutover War Room</h1>
      <p className="mb-6 text-sm text-muted">Sign in to join the room.</p>
      <SignInForm callbackUrl={target} sso={settings.oidc ? { name: settings.oidc.name } : null} passwordSignIn={settings.passwordSignIn} initialError={message} />
    </main>
  );
}
