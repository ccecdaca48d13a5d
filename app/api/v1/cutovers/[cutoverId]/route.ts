import { z } from "zod";
import { apiRoute } from "@/lib/api/route";
import { AppError } from "@/lib/errors";
import { getCutoverState } from "@/lib/services/cutover-read";

export const dynamic = "force-dynamic";

const params = z.object({ cutoverId: z.string().uuid() });

export const GET = apiRoute<{ cutoverId: string }>(async ({ actor, params: raw }) => {
  const { cutoverId } = params.parse(raw);
  const state = await getCutoverState(actor, cutoverId);
  if (!state) throw new AppError("not_found", "No such cutover, or you are not a member of it");
  return state;
});
