// Input pieces shared by the integrations catalog and the commands that pick an integration by
// name. Pure zod: imported by the browser too.
import { z } from "zod";

export const integrationName = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, "a name of letters, digits, '-', '_', '.' (at most 64), starting with a letter or digit");
