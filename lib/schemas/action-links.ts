// The input of `action_link.use`: the cutover (so the pipeline loads the caller's roles there) and
// the signed token exactly as the link carried it. The token's own shape is checked by
// lib/domain/action-links.ts, after its signature.
import { z } from "zod";
import { id } from "./room";

export const actionLinkUseInput = z.object({ cutoverId: id, token: z.string().min(1).max(2000) });
