"use client";
import { signIn } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { sameOriginPath } from "@/lib/domain/request-input";

/**
 * The ways in the operator configured: the identity provider's button (OIDC) and/or the password
 * form (absent when WARROOM_PASSWORD_SIGN_IN=off). `initialError`: why the last attempt came back.
 */
export function SignInForm({ callbackUrl, sso = null, passwordSignIn = true, initialError = null }: { callbackUrl: string; sso?: { name: string } | null; passwordSignIn?: boolean; initialError?: string | null }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(initialError);
  const [pending, setPending] = useState(false);

  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setPending(true);
    setError(null);
    const res = await signIn("credentials", { email: String(form.get("email") ?? ""), password: String(form.get("password") ?? ""), redirect: false });
    setPending(false);
    // Throttled (429) or unavailable (503): the server's message says what to do.
    if (res && (res.status === 429 || res.status === 503)) return setError(res.error ?? "Sign-in is not possible right now. Try again later.");
    // One message for every other failure: no hint whether the email or the password was wrong.
    if (!res || res.error) return setError("Wrong email or password.");
    router.replace(sameOriginPath(callbackUrl));
    router.refresh();
  }

  const ssoButton = sso && (
    <button
      type="button"
      data-testid="sso-sign-in"
      disabled={pending}
      onClick={() => {
        setPending(true);
        // next-auth sends the browser to the provider; it comes back to the callback URL (same origin only).
        void signIn("oidc", { callbackUrl: sameOriginPath(callbackUrl) });
      }}
      className="w-full rounded bg-blue-700 px-3 py-2 font-medium text-white hover:bg-blue-800 disabled:opacity-60"
    >
      Sign in with {sso.name}
    </button>
  );

  return (
    <div className="space-y-4">
      {error && (
        <p role="alert" data-testid="sign-in-error" className="rounded border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-800 dark:border-red-800 dark:bg-red-950 dark:text-red-200">
          {error}
        </p>
      )}
      {ssoButton}
      {sso && passwordSignIn && <p className="text-center text-xs text-muted">or with your email and password</p>}
      {passwordSignIn && (
        <form onSubmit={onSubmit} className="space-y-4">
          <label className="block text-sm">
            <span className="mb-1 block font-medium">Email</span>
            <input name="email" type="email" autoComplete="username" required className="w-full rounded border border-neutral-300 bg-transparent px-3 py-2 dark:border-neutral-700" />
          </label>
          <label className="block text-sm">
            <span className="mb-1 block font-medium">Password</span>
            <input name="password" type="password" autoComplete="current-password" required className="w-full rounded border border-neutral-300 bg-transparent px-3 py-2 dark:border-neutral-700" />
          </label>
          <button type="submit" disabled={pending} className="w-full rounded bg-blue-700 px-3 py-2 font-medium text-white hover:bg-blue-800 disabled:opacity-60">
            {pending ? "Signing in…" : "Sign in"}
          </button>
        </form>
      )}
    </div>
  );
}
