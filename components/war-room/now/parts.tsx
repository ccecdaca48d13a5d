"use client";
// The Now view's cards: a titled panel with a link to the tab that holds the whole of it.
import type { ReactNode } from "react";
import { PANEL_CLASS } from "../shared/format";

export function Card({ id, title, children, action }: { id: string; title: string; children: ReactNode; action?: ReactNode }) {
  return (
    <section aria-labelledby={`now-${id}`} className={PANEL_CLASS} data-testid={`now-${id}`}>
      <header className="flex flex-wrap items-baseline justify-between gap-2 border-b border-neutral-200 px-3 py-2 dark:border-neutral-800">
        <h2 id={`now-${id}`} className="font-semibold">
          {title}
        </h2>
        {action}
      </header>
      <div className="px-3 py-2">{children}</div>
    </section>
  );
}

export function TabLink({ tab, label, onOpenTab }: { tab: string; label: string; onOpenTab: (tab: string) => void }) {
  return (
    <button type="button" onClick={() => onOpenTab(tab)} className="text-sm text-blue-800 underline underline-offset-2 hover:no-underline dark:text-blue-300">
      {label}
    </button>
  );
}

