"use client";
import { useEffect, useId, useRef, type ReactNode } from "react";

/**
 * A modal confirm dialog (native <dialog>: focus stays inside, Escape cancels). The element
 * marked `data-autofocus` gets the focus when it opens (put it on the safe choice); the focus
 * returns to where it was when it closes. Render it only while it is open.
 */
export function ConfirmDialog({ title, onClose, children, testId, tone = "neutral" }: { title: string; onClose: () => void; children: ReactNode; testId?: string; tone?: "neutral" | "danger" }) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const previous = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (!dialog.open) dialog.showModal();
    dialog.querySelector<HTMLElement>("[data-autofocus]")?.focus();
    return () => {
      if (dialog.open) dialog.close();
      previous?.focus();
    };
  }, []);
  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      data-testid={testId}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
      className={`m-auto w-[min(36rem,calc(100vw-2rem))] rounded border bg-white p-4 text-neutral-900 shadow-xl backdrop:bg-black/50 dark:bg-neutral-900 dark:text-neutral-100 ${
        tone === "danger" ? "border-red-600 border-t-8" : "border-neutral-300 dark:border-neutral-700"
      }`}
    >
      <h2 id={titleId} className={`text-lg font-semibold ${tone === "danger" ? "text-red-800 dark:text-red-300" : ""}`}>
        {title}
      </h2>
      {children}
    </dialog>
  );
}
