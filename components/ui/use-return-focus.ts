"use client";
// For confirmations shown in place of the button that opened them (not modal dialogs, which
// return the focus themselves): the focus goes back to that button once the question is gone, so
// a keyboard user is not dropped at the top of the page.
import { useCallback, useRef } from "react";

export function useReturnFocus() {
  const opener = useRef<string | null>(null);
  /** Remembers the control that has the focus now, by its data-testid (it is re-rendered meanwhile). */
  const remember = useCallback(() => {
    const el = document.activeElement;
    opener.current = el instanceof HTMLElement ? el.dataset.testid ?? null : null;
  }, []);
  /** After the question closed: the opener, drawn again by then, gets the focus back. */
  const restore = useCallback(() => {
    const id = opener.current;
    if (!id) return;
    requestAnimationFrame(() => document.querySelector<HTMLElement>(`[data-testid="${CSS.escape(id)}"]`)?.focus());
  }, []);
  return { remember, restore };
}
