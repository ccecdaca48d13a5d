"use client";
import { useActionState } from "react";
import { createFirstAdmin, type SetupState } from "@/lib/actions/setup";

export function SetupForm() {
  const [state, action, pending] = useActionState<SetupState, FormData>(createFirstAdmin, { error: null });
  const field = "w-full rounded border border-neutral-300 bg-transparent px-3 py-2 dark:border-neutral-700";
  return (
    <form action={action} className="space-y-4">
      <label className="block text-sm">
        <span className="mb-1 block font-medium">Name</span>
        <input name="name" required className={field} />
      </label>
      <label className="block text-sm">
        <span className="mb-1 block font-medium">Email</span>
        <input name="email" type="email" required className={field} />
      </label>
      <label className="block text-sm">
        <span className="mb-1 block font-medium">Password (12+ characters)</span>
        <input name="password" type="password" minLength={12} required className={field} />
      </label>
      {state.error && <p role="alert" className="text-sm text-red-700 dark:text-red-300">{state.error}</p>}
      <button disabled={pending} className="w-full rounded bg-blue-700 px-3 py-2 font-medium text-white disabled:opacity-60">
        Create administrator
      </button>
    </form>
  );
}
