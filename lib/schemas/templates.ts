// Inputs of the template commands (lib/services/templates.ts).
import { z } from "zod";
import { TEXT } from "@/lib/domain/limits";
import { id } from "./room";

export const templateSaveInput = z.object({
  cutoverId: id,
  name: z.string().trim().min(1, "Template name is required").max(TEXT.name, `Template name is at most ${TEXT.name} characters`),
  description: z.string().trim().max(TEXT.note, `Description is at most ${TEXT.note} characters`).optional().default(""),
});
export const templateRemoveInput = z.object({ templateId: id });
