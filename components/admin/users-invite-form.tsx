"use client";
// Accepting an invitation (name + password) or a reset link (password), then signing in with the
// password just chosen, so the new user lands in the app.
import { signIn } from "next-auth/react";
import { useRouter } from "next/navigation";
import { acceptLinkAction } from "@/lib/actions/accounts";
import { ErrorNote } from "@/components/ui/error-note";
import { useFormSubmit } from "@/components/ui/use-form-submit";
import { TEXT } from "@/lib/domain/limits";

const input = "w-full rounded border border-neutral-300 bg-transparent px-3 py-2 dark:border-neutral-700";

export function InviteForm({ token, email, name, kind }: { token: string; email: string; name: string; kind: "invite" | "reset" }) {
  const router = useRouter();
  const { pending, error, onSubmit } = useFormSubmit(async (form) => {
    const password = String(form.get("password") ?? "");
    if (password !== String(form.get("confirm") ?? "")) return "The two passwords differ.";
    const r = await acceptLinkAction({ token, password, ...(kind === "invite" ? { name: String(form.get("name") ?? "") } : {}) });
    if (!r.ok) return r.message;
    // Signed in with the password just chosen; should that fail, the sign-in page asks for it.
    const res = await signIn("credentials", { email, password, redirect: false });
    if (!res || res.error) return router.replace("/sign-in");
    router.replace("/cutovers");
    router.refresh();
  });

  return (
    <form onSubmit={onSubmit} className="space-y-4">
      {kind === "invite" && (
        <label className="block text-sm">
          <span className="mb-1 block font-medium">Your name</span>
          <input name="name" defaultValue={name} required maxLength={TEXT.name} className={input} />
        </label>
      )}
      <label className="block text-sm">
        <span className="mb-1 block font-medium">Password (12+ characters)</span>
        <input name="password" type="password" autoComplete="new-password" minLength={12} required className={input} />
      </label>
      <label className="block text-sm">
        <span className="mb-1 block font-medium">Password again</span>
        <input name="confirm" type="password" autoComplete="new-password" minLength={12} required className={input} />
      </label>
      <ErrorNote message={error} />
      <button type="submit" disabled={pending} className="w-full rounded bg-blue-700 px-3 py-2 font-medium text-white hover:bg-blue-800 disabled:opacity-60">
        {pending ? "Saving…" : kind === "invite" ? "Create my account" : "Set password"}
      </button>
    </form>
  );
}
