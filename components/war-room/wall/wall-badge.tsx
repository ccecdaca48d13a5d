import type { ReactNode } from "react";
import { STATE_LOOK, type WallTone } from "./wall-colors";

/** A state in one line: a word (and a shape) in a frame of its colour; never wraps. */
export function Badge({ tone, testId, children }: { tone: WallTone; testId?: string; children: ReactNode }) {
  const look = STATE_LOOK[tone];
  return (
    <span data-testid={testId} className={`inline-flex shrink-0 items-center gap-1.5 whitespace-nowrap rounded border-2 px-2 font-bold ${look.badge}`}>
      {children}
    </span>
  );
}
