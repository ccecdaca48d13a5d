import type { CutoverStateJson } from "@/lib/services/cutover-read";
import { formatUtc, formatWallTime } from "./format";

/** A moment in the cutover's zone (UTC on hover); a dash when there is none. */
export function Time({ at, cutover }: { at: string | null; cutover: CutoverStateJson }) {
  if (!at) return <span className="text-muted">—</span>;
  return (
    <time dateTime={at} title={formatUtc(at)} className="whitespace-nowrap tabular">
      {formatWallTime(at, cutover.timeZone, cutover.tZero, true)}
    </time>
  );
}
