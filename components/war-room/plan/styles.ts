// The plan's compact controls (its rows are dense: smaller than the room's default).
export const input = "rounded border border-neutral-300 bg-transparent px-2 py-0.5 text-sm dark:border-neutral-700";
export const smallButton = "rounded border border-neutral-300 px-2 py-0.5 text-xs hover:bg-neutral-100 dark:border-neutral-700 dark:hover:bg-neutral-800";
