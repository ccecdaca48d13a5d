// The colours of a state badge, one set for every panel, so that "in progress", "overdue" or
// "failed" look the same in the timeline, the decisions, the triggers and the rollbacks.
export const TONE = {
  idle: "border-neutral-300 text-neutral-600 dark:border-neutral-600 dark:text-neutral-300",
  active: "border-blue-600 bg-blue-50 text-blue-800 dark:bg-blue-950 dark:text-blue-200",
  warning: "border-amber-600 bg-amber-100 font-semibold text-amber-900 dark:bg-amber-950 dark:text-amber-200",
  good: "border-green-700 bg-green-50 text-green-800 dark:bg-green-950 dark:text-green-200",
  bad: "border-red-700 bg-red-50 font-semibold text-red-800 dark:bg-red-950 dark:text-red-200",
} as const;

/** How a state is shown: its words and its badge colours. */
export interface Look {
  label: string;
  style: string;
}
