// Inputs of the post-mortem report: the read (page, REST) and the lessons-learned command.
import { z } from "zod";
import { TEXT } from "@/lib/domain/limits";
import { id } from "./room";

export const reportQuery = z.object({
  cutoverId: id,
  format: z.enum(["json", "markdown"], { error: "format must be json or markdown" }).default("json"),
});

const lessonsText = z.string().max(TEXT.description, `at most ${TEXT.description} characters`).optional();

/** A field left out keeps what is stored; `version` (as read) makes a stale edit a 409. */
export const lessonsInput = z
  .object({
    cutoverId: id,
    wentWell: lessonsText,
    wentWrong: lessonsText,
    actions: lessonsText,
    version: z.number().int().min(0).max(1_000_000).optional(),
  })
  .refine((i) => i.wentWell !== undefined || i.wentWrong !== undefined || i.actions !== undefined, { message: "Give at least one of wentWell, wentWrong, actions" });
