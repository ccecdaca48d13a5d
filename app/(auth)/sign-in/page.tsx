import { SignInForm } from "@/components/sign-in-form";
import { sameOriginPath } from "@/lib/domain/request-input";

export const metadata = { title: "Sign in · Cutover War Room" };

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string }> }) {
  const { callbackUrl } = await searchParams;
  // Only paths on this origin: a sign-in link must not send people elsewhere ("/\evil.com" is
  // "//evil.com" to a browser).
  const target = callbackUrl ? sameOriginPath(callbackUrl) : "/cutovers";
  return (
    <main className="mx-auto mt-24 max-w-sm rounded-lg border border-neutral-200 bg-white p-6 shadow-sm dark:border-neutral-800 dark:bg-neutral-900">
      <h1 className="mb-1 text-xl font-semibold">Cutover War Room</h1>
      <p className="mb-6 text-sm text-neutral-500">Sign in to join the room.</p>
      <SignInForm callbackUrl={target} />
    </main>
  );
}
