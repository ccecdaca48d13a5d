// Inputs of the public status page's commands (status.configure, status.publish, status.retract).
import { z } from "zod";
import { PUBLIC_HEALTH, slugProblem, STATUS_LIMITS } from "@/lib/domain/status-page";
import { id } from "./room";

export const statusSlug = z
  .string()
  .trim()
  .max(STATUS_LIMITS.slugMax, `The address is at most ${STATUS_LIMITS.slugMax} characters`)
  .superRefine((slug, ctx) => {
    const problem = slugProblem(slug);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });

/** Turning the page on without a slug uses the stored one, or one made from the cutover's name. */
export const statusConfigureInput = z.object({
  cutoverId: id,
  enabled: z.boolean(),
  slug: statusSlug.optional(),
  /** What readers see as the page's title; empty: the cutover's name. */
  title: z.string().trim().max(STATUS_LIMITS.title, `The title is at most ${STATUS_LIMITS.title} characters`).optional().nullable(),
});

const figure = z.object({
  label: z.string().trim().min(1, "A figure needs a label").max(STATUS_LIMITS.figureLabel, `A figure's label is at most ${STATUS_LIMITS.figureLabel} characters`),
  value: z.string().trim().min(1, "A figure needs a value").max(STATUS_LIMITS.figureValue, `A figure's value is at most ${STATUS_LIMITS.figureValue} characters`),
});

export const statusPublishInput = z.object({
  cutoverId: id,
  body: z.string().trim().min(1, "Write what readers should know").max(STATUS_LIMITS.body, `An update is at most ${STATUS_LIMITS.body} characters`),
  health: z.enum(PUBLIC_HEALTH, { error: `health must be one of ${PUBLIC_HEALTH.join(", ")}` }),
  figures: z.array(figure).max(STATUS_LIMITS.figures, `At most ${STATUS_LIMITS.figures} figures`).default([]),
  /** When the next update is due: omitted, in 30 minutes; null, none promised. */
  nextUpdateAt: z.coerce.date({ error: "nextUpdateAt must be a date and time" }).nullable().optional(),
});

export const statusRetractInput = z.object({ cutoverId: id, id });
