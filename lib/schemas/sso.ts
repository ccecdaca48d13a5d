// Input of the SSO group mapping command (lib/services/sso.ts), shared by the admin form and REST.
import { z } from "zod";
import { MAX_GROUP_LENGTH } from "@/lib/domain/sso";

// A group as the identity provider names it (a name, a path like /ops/leads, or an object id).
const groupName = z
  .string()
  .trim()
  .min(1, "A group name cannot be empty")
  .max(MAX_GROUP_LENGTH, `A group name is at most ${MAX_GROUP_LENGTH} characters`)
  .regex(/^[^\p{Cc}]+$/u, "A group name has no control characters");

const groups = z
  .array(groupName)
  .max(100, "At most 100 groups per role")
  .transform((list) => [...new Set(list)]);

export const ssoMappingInput = z.object({
  /** Members of any of these groups are administrators; empty: administrators are chosen by hand. */
  administratorGroups: groups,
  /** Members of any of these groups are planners; empty: planners are chosen by hand. */
  plannerGroups: groups,
});
