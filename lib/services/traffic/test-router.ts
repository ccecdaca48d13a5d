// "Test connection": reads the split the router holds now. Changes nothing, so it records nothing.
import { z } from "zod";
import { AppError } from "@/lib/errors";
import { shortReason } from "@/lib/integrations/schemas";
import type { cutoverOnly } from "@/lib/schemas/room";
import { routerOf } from "./routing";

/** After the table allowed it: answers the percent or a short reason. */
export async function testRouter(input: z.output<typeof cutoverOnly>) {
  const { router, label } = await routerOf(input.cutoverId);
  try {
    return { percent: await router.read(AbortSignal.timeout(5000)) };
  } catch (err) {
    throw new AppError("router_failed", `${label} did not answer: ${shortReason((err as Error).message)}`);
  }
}
