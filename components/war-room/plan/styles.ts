// The plan's compact controls (its rows are dense: smaller than the room's default).
export const input = "max-w-full rounded border border-neutral-300 bg-transparent px-2 py-0.5 text-sm dark:border-neutral-700";
// On a touch screen (and any phone-sized one) every control is at least 44 px: a thumb, not a mouse pointer.
export const smallButton = "rounded border border-neutral-300 px-2 py-0.5 text-xs hover:bg-neutral-100 pointer-coarse:min-h-11 pointer-coarse:min-w-11 pointer-coarse:px-3 pointer-coarse:text-sm max-sm:min-h-11 max-sm:min-w-11 dark:border-neutral-700 dark:hover:bg-neutral-800";
