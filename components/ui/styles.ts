// Class names the forms and panels share, so a control looks the same wherever it stands.

export const INPUT_CLASS = "max-w-full rounded border border-neutral-300 bg-transparent px-2 py-1 text-sm dark:border-neutral-700";
export const BUTTON_CLASS =
  "rounded border border-neutral-300 px-2 py-0.5 text-sm hover:bg-neutral-100 disabled:opacity-50 dark:border-neutral-700 dark:hover:bg-neutral-800";
export const PRIMARY_BUTTON_CLASS = "rounded bg-blue-700 px-3 py-1 text-sm font-medium text-white hover:bg-blue-800 disabled:opacity-60";
export const DANGER_BUTTON_CLASS = "rounded bg-red-700 px-3 py-1 text-sm font-medium text-white hover:bg-red-800 disabled:opacity-60";
export const PANEL_CLASS = "rounded border border-neutral-200 bg-white dark:border-neutral-800 dark:bg-neutral-900";

/** `base` with extra classes after it, in that order (the order the class strings had before). */
export function withClass(base: string, extra: string | undefined): string {
  return extra ? `${base} ${extra}` : base;
}
