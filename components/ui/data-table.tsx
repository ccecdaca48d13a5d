import type { CSSProperties, ReactNode } from "react";
import { stackColumnStyle } from "@/lib/client/table-stack";

/** A column heading; `hidden` ones are for screen readers only, `edge` ones get the wider padding of a table edge. */
export type Column = string | { label: string; hidden?: boolean; edge?: boolean };

/** The last column of a table whose rows have buttons. */
export const ACTIONS_COLUMN = { label: "Actions", hidden: true, edge: true } as const satisfies Column;

/**
 * A full-width table of rows with a header row and dividers; the first column sits on the edge.
 * Columns that may be absent are passed as `false`. On a phone each row becomes a card, a line
 * per cell named by its column (`.table-stack` in app/globals.css), so nothing scrolls sideways;
 * wider, `scroll` lets a wide table scroll sideways inside the panel instead of widening it.
 */
export function DataTable({
  columns,
  caption,
  scroll = true,
  className,
  busy,
  children,
}: {
  columns: readonly (Column | false)[];
  caption?: string;
  scroll?: boolean;
  className?: string;
  busy?: boolean;
  children: ReactNode;
}) {
  const shown = columns.filter((c): c is Column => c !== false).map((c) => (typeof c === "string" ? { label: c } : c));
  const table = (
    <table
      className={className ? `table-stack w-full text-sm ${className}` : "table-stack w-full text-sm"}
      style={stackColumnStyle(shown) as CSSProperties}
      aria-busy={busy}
    >
      {caption && <caption className="sr-only">{caption}</caption>}
      <thead className="text-left text-xs text-muted">
        <tr className="border-b border-neutral-200 dark:border-neutral-800">
          {shown.map((c, i) => (
            <th key={c.label} scope="col" className={`${i === 0 || c.edge ? "px-3" : "px-2"} py-1.5 font-medium`}>
              {c.hidden ? <span className="sr-only">{c.label}</span> : c.label}
            </th>
          ))}
        </tr>
      </thead>
      <tbody className="divide-y divide-neutral-100 dark:divide-neutral-800">{children}</tbody>
    </table>
  );
  // Positioned, so that the screen-reader-only texts in the table (absolutely placed) are clipped
  // with it instead of widening the page.
  return scroll ? <div className="relative overflow-x-auto">{table}</div> : table;
}
