// The way from an ended cutover's room to its post-mortem report (nothing while it runs).
import Link from "next/link";
import { isEnded } from "@/lib/domain/cutover-state";
import { BUTTON_CLASS } from "@/components/ui/styles";

export function ReportLink({ cutover }: { cutover: { id: string; state: string } }) {
  if (!isEnded(cutover.state)) return null;
  return (
    <Link href={`/cutovers/${cutover.id}/report`} data-testid="report-link" className={BUTTON_CLASS}>
      Post-mortem report
    </Link>
  );
}
