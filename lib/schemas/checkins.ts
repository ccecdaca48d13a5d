// Input schemas of check-ins and incidents (lib/services/checkins.ts, lib/services/incidents.ts).
import { z } from "zod";
import { TEXT } from "@/lib/domain/limits";
import { CADENCE_ANCHORS, DEFAULT_ANCHOR, DEFAULT_CHECKIN_ROLE, parseDuration } from "@/lib/domain/checkins";
import { roleSchema, type Role } from "@/lib/domain/roles";
import { id } from "./room";

const duration = (label: string) =>
  z
    .string()
    .trim()
    .max(50, `${label} is at most 50 characters`)
    .refine((v) => parseDuration(v) !== null, `${label}: write e.g. "30 min", "45 s", "2 h"`);

const note = z
  .string()
  .trim()
  .max(TEXT.note, `at most ${TEXT.note} characters`)
  .optional()
  .nullable()
  .transform((v) => (v ? v : null));

/**
 * The cadence as the runbook sentence ("every 30 min for the first 2 h, hourly for the next 6 h")
 * or as stretches [{ every: "30 min", for: "2 h" }]; null stops owing check-ins.
 */
export const checkInConfigureInput = z.object({
  cutoverId: id,
  cadence: z.union([z.string().trim().min(1, "Write the cadence, e.g. \"every 30 min for the first 2 h\"").max(1000, "The cadence is at most 1000 characters"), z.array(z.object({ every: duration("Every"), for: duration("For") })).min(1).max(20), z.null()]),
  anchor: z.enum(CADENCE_ANCHORS).default(DEFAULT_ANCHOR),
  // Observers watch; they owe nothing.
  role: roleSchema.exclude(["OBSERVER"]).default(DEFAULT_CHECKIN_ROLE as Exclude<Role, "OBSERVER">),
  /** How long after it is due a check-in is overdue; empty: 10 % of its interval, at least 1 min. */
  grace: duration("Grace").optional().nullable().or(z.literal("").transform(() => null)),
});

export const checkInAcknowledgeInput = z.object({ cutoverId: id, checkInId: id, note });

export const incidentAcknowledgeInput = z.object({ cutoverId: id, incidentId: id, note });
