// An alert's severity in words and a shape, never colour alone: "▲ CRITICAL", "◆ WARNING".
import { severityWord } from "@/lib/domain/alerts";

const SHAPE: Record<string, string> = { CRITICAL: "▲", WARNING: "◆", INFO: "●" };

export function SeverityTag({ severity, className = "" }: { severity: string | null; className?: string }) {
  const word = severityWord(severity);
  return (
    <span className={`inline-flex items-center gap-1 rounded border px-1.5 text-xs font-bold tracking-wide ${className}`} data-testid="alert-severity">
      <span aria-hidden>{SHAPE[word] ?? "■"}</span>
      {word}
    </span>
  );
}
