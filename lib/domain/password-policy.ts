// The password rule for every password a person chooses: new users, invitations, resets, the first
// administrator (/setup and WARROOM_ADMIN_PASSWORD). Length beats composition rules (NIST SP 800-63B):
// at least 12 characters, none of the ~49,000 commonest passwords (zxcvbn's list, ordered by how
// often they leaked), nor the account's own email.
import { dictionary } from "@zxcvbn-ts/language-common";

export const PASSWORD_MIN_LENGTH = 12;
// argon2 hashes whatever it is given: a megabyte password is CPU for nothing.
export const PASSWORD_MAX_LENGTH = 256;

// Published in the README for the demo team, so as good as public: never for a real account.
const PROJECT_PASSWORDS = ["warroom-demo", "cutover war room", "cutoverwarroom", "warroomwarroom"];

let common: Set<string> | null = null;
function commonPasswords(): Set<string> {
  common ??= new Set([...dictionary["passwords-common"], ...PROJECT_PASSWORDS]);
  return common;
}

export type PasswordProblem = "too_short" | "too_long" | "common" | "is_email";

export const PASSWORD_PROBLEM_MESSAGES: Record<PasswordProblem, string> = {
  too_short: `Use at least ${PASSWORD_MIN_LENGTH} characters`,
  too_long: `Use at most ${PASSWORD_MAX_LENGTH} characters`,
  common: "That password is one of the most common ones: choose another",
  is_email: "The password must not be your email address",
};

/** The first problem with a password, or null when it may be used. */
export function passwordProblem(password: string, context: { email?: string | null } = {}): PasswordProblem | null {
  // Counted in code points, so that 12 emoji are 12 characters as the person sees them.
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH) return "too_short";
  if (length > PASSWORD_MAX_LENGTH) return "too_long";
  const folded = password.trim().toLowerCase();
  if (commonPasswords().has(folded)) return "common";
  const email = context.email?.trim().toLowerCase();
  if (email) {
    const local = email.split("@")[0] ?? "";
    if (folded === email || (local.length > 0 && folded === local)) return "is_email";
  }
  return null;
}

/** The message for a password that may not be used, or null. */
export function checkPassword(password: string, context: { email?: string | null } = {}): string | null {
  const problem = passwordProblem(password, context);
  return problem ? PASSWORD_PROBLEM_MESSAGES[problem] : null;
}
