// The wall's palette: light text on near-black. Every text colour here keeps ≥ 7:1 against the
// card (neutral-900) and the page (neutral-950), so the big numbers pass AAA and the rest passes
// AA with margin even on a washed-out TV. Status colours are the light end of each hue (they stay
// apart for colour-blind eyes by lightness too), and always come with a shape and a word.
import type { WallLevel } from "@/lib/client/wall";

export const CARD = "min-w-0 rounded-lg border border-neutral-700 bg-neutral-900 p-4 2xl:p-6";
export const LABEL = "mb-1 whitespace-nowrap text-base font-semibold uppercase tracking-wide text-neutral-300 2xl:text-xl";

export type WallTone = WallLevel | "idle" | "active";

export const STATE_LOOK: Record<WallTone, { text: string; badge: string; frame: string }> = {
  ok: { text: "text-green-300", badge: "border-green-400 text-green-200", frame: "border-green-500/70" },
  warning: { text: "text-amber-300", badge: "border-amber-400 bg-amber-950 text-amber-200", frame: "border-amber-400 border-2" },
  critical: { text: "text-red-300", badge: "border-red-400 bg-red-950 text-red-100", frame: "border-red-400 border-4" },
  stale: { text: "text-neutral-300", badge: "border-dashed border-neutral-400 text-neutral-200", frame: "border-dashed border-neutral-500" },
  no_data: { text: "text-neutral-300", badge: "border-dashed border-neutral-400 text-neutral-200", frame: "border-dashed border-neutral-500" },
  error: { text: "text-neutral-300", badge: "border-dashed border-amber-300 text-amber-100", frame: "border-dashed border-amber-300" },
  idle: { text: "text-neutral-300", badge: "border-neutral-400 text-neutral-200", frame: "border-neutral-700" },
  active: { text: "text-sky-200", badge: "border-sky-300 bg-sky-950 text-sky-100", frame: "border-sky-400" },
};
