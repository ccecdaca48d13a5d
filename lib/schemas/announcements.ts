// Inputs of the announcement commands (lib/services/announcements.ts).
import { z } from "zod";
import { TEXT } from "@/lib/domain/limits";
import { ANNOUNCEMENT_KINDS, BINDING_EVENT_NAMES, BINDING_MODES, type BindingEvent } from "@/lib/domain/notify/announcements";
import { id } from "./room";

/** A channel shows titles on one line (an email subject, a Slack header). */
export const ANNOUNCEMENT_TITLE_MAX = 200;
const title = z.string().trim().min(1, "Title is required").max(ANNOUNCEMENT_TITLE_MAX, `Title is at most ${ANNOUNCEMENT_TITLE_MAX} characters`);
const body = z.string().max(TEXT.description, `Text is at most ${TEXT.description} characters`);

export const announcementSaveInput = z.object({
  cutoverId: id,
  /** Absent: a new template. */
  templateId: id.optional(),
  name: z.string().trim().min(1, "Name is required").max(TEXT.short, `Name is at most ${TEXT.short} characters`),
  kind: z.enum(ANNOUNCEMENT_KINDS),
  title,
  body,
  bindingEvent: z.enum(BINDING_EVENT_NAMES as [BindingEvent, ...BindingEvent[]]).nullable().optional().default(null),
  bindingMode: z.enum(BINDING_MODES).optional().default("recommend"),
  enabled: z.boolean().optional().default(true),
  /** The version the editor read: a save over someone else's newer one is a 409. */
  version: z.number().int().min(0).optional(),
});

export const announcementRemoveInput = z.object({ cutoverId: id, templateId: id });

/** A template, optionally with this one send's edited title and text. */
const draft = { title: title.optional(), body: body.optional() };

export const announcementSendInput = z
  .object({ cutoverId: id, templateId: id.optional(), recommendationId: id.optional(), ...draft })
  .refine((i) => (i.templateId === undefined) !== (i.recommendationId === undefined), { message: "Give either templateId or recommendationId", path: ["templateId"] });

export const announcementPreviewInput = z.object({ cutoverId: id, templateId: id.optional(), recommendationId: id.optional(), ...draft }).refine((i) => i.templateId !== undefined || (i.title !== undefined && i.body !== undefined), {
  message: "Give a templateId, or a title and a body",
  path: ["templateId"],
});

export const announcementDismissInput = z.object({ cutoverId: id, recommendationId: id });

/** How often the room promises a status update: "Next update due" and {{next_update_due}} follow it. */
export const UPDATE_INTERVAL_MINUTES = { min: 5, max: 720 } as const;
export const announcementIntervalInput = z.object({
  cutoverId: id,
  minutes: z
    .number()
    .int("The interval is a whole number of minutes")
    .min(UPDATE_INTERVAL_MINUTES.min, `An update every ${UPDATE_INTERVAL_MINUTES.min} minutes at most often`)
    .max(UPDATE_INTERVAL_MINUTES.max, `An update every ${UPDATE_INTERVAL_MINUTES.max} minutes (12 hours) at least`),
});
