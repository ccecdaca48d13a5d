import { notFound } from "next/navigation";
import Link from "next/link";
import { z } from "zod";
import { requireUser } from "@/lib/auth/session";
import { AppError } from "@/lib/errors";
import { getReportPage } from "@/lib/services/report";
import { AppHeader } from "@/components/app-header";
import { ReportView } from "@/components/report/report-view";
import "./print.css";

export const dynamic = "force-dynamic";

export default async function ReportPage({ params }: { params: Promise<{ cutoverId: string }> }) {
  const user = await requireUser();
  const { cutoverId } = await params;
  if (!z.string().uuid().safeParse(cutoverId).success) notFound();
  let page: Awaited<ReturnType<typeof getReportPage>>;
  try {
    page = await getReportPage(user, { cutoverId });
  } catch (err) {
    if (err instanceof AppError && err.status === 404) notFound();
    if (err instanceof AppError && err.status === 409) {
      return (
        <>
          <AppHeader user={user} />
          <main className="mx-auto max-w-[182mm] p-6">
            <p data-testid="report-not-ready">{err.message}.</p>
            <Link href={`/cutovers/${cutoverId}`} className="text-blue-700 underline">
              Back to the room
            </Link>
          </main>
        </>
      );
    }
    throw err;
  }
  return (
    <>
      <div className="print:hidden">
        <AppHeader user={user} />
      </div>
      <ReportView report={page.report} canWriteLessons={page.canWriteLessons} />
    </>
  );
}
