"use client";
// The one button of a signed action link: it runs `action_link.use` (the room's one server
// action, i.e. the dispatcher), and says what happened or why not.
import Link from "next/link";
import { useState } from "react";
import { roomAction } from "@/lib/actions/room";
import { ErrorNote } from "@/components/ui/error-note";
import { useFormSubmit } from "@/components/ui/use-form-submit";
import { DANGER_BUTTON_CLASS, PRIMARY_BUTTON_CLASS } from "@/components/ui/styles";

export function ActionLinkConfirm({ cutoverId, token, label, danger }: { cutoverId: string; token: string; label: string; danger: boolean }) {
  const [done, setDone] = useState(false);
  const { pending, error, onSubmit } = useFormSubmit(async () => {
    const result = await roomAction("action_link.use", { cutoverId, token });
    if (!result.ok) return result.message;
    setDone(true);
  });
  if (done) {
    return (
      <div role="status" data-testid="action-link-done" className="mt-4 rounded border border-green-300 bg-green-50 px-3 py-2 text-sm text-green-900 dark:border-green-800 dark:bg-green-950 dark:text-green-100">
        Done: {label.replace(/^Confirm /, "confirmed ").replace(/^Vote /, "your vote ")} is recorded.{" "}
        <Link href={`/cutovers/${cutoverId}`} className="font-medium underline">
          Open the room
        </Link>
      </div>
    );
  }
  return (
    <form onSubmit={onSubmit} className="mt-4">
      <button type="submit" disabled={pending} className={danger ? DANGER_BUTTON_CLASS : PRIMARY_BUTTON_CLASS} data-testid="action-link-confirm">
        {pending ? `${label}…` : label}
      </button>
      <ErrorNote message={error} testId="action-link-error" />
    </form>
  );
}
