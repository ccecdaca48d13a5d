import type { Gate } from "@/lib/domain/decision";

/** Gates with ✓/✗, a word for screen readers, label and detail: decisions and success criteria. */
export function GateList({ gates, testId, words, className = "mt-1 space-y-1" }: { gates: readonly Gate[]; testId: string; words: { passed: string; failed: string }; className?: string }) {
  return (
    <ul className={className}>
      {gates.map((g) => (
        <li key={g.id} data-testid={testId} data-passed={g.passed} className="flex gap-1.5">
          <span aria-hidden className={g.passed ? "text-green-700 dark:text-green-400" : "font-bold text-red-700 dark:text-red-400"}>
            {g.passed ? "✓" : "✗"}
          </span>
          <span>
            <span className="sr-only">{g.passed ? words.passed : words.failed}</span>
            <span className="font-medium">{g.label}</span>
            <span className="block text-xs text-muted">{g.detail}</span>
          </span>
        </li>
      ))}
    </ul>
  );
}
