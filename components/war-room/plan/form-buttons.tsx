"use client";
import { smallButton } from "./styles";

/** The plan's inline forms end the same way: a primary submit and a Cancel. */
export function SubmitOrCancel({ label, busy = false, onCancel }: { label: string; busy?: boolean; onCancel: () => void }) {
  return (
    <>
      <button type="submit" disabled={busy} className="rounded bg-blue-700 px-2 py-0.5 text-xs text-white disabled:opacity-60">
        {label}
      </button>
      <button type="button" onClick={onCancel} className={smallButton}>
        Cancel
      </button>
    </>
  );
}
