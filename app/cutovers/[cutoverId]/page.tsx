import { notFound } from "next/navigation";
import { z } from "zod";
import { requireUser } from "@/lib/auth/session";
import { getCutoverState } from "@/lib/services/cutover-read";
import { AppHeader } from "@/components/app-header";
import { CutoverRoom } from "@/components/war-room/cutover-room";

export const dynamic = "force-dynamic";

export default async function CutoverPage({ params, searchParams }: { params: Promise<{ cutoverId: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requireUser();
  const { cutoverId } = await params;
  const query = await searchParams;
  const wall = query.wall === "1";
  const tab = typeof query.tab === "string" ? query.tab : undefined;
  if (!z.string().uuid().safeParse(cutoverId).success) notFound();
  const state = await getCutoverState(user, cutoverId);
  if (!state) notFound();
  return (
    <>
      <AppHeader user={user} />
      <CutoverRoom initial={state} me={{ id: user.id, name: user.name, isAdmin: user.isAdmin }} wall={wall} tab={tab} />
    </>
  );
}
