// Input schemas of the account commands (lib/services/users.ts), shared by the admin forms,
// server actions and REST. The password rule itself is lib/domain/password-policy.ts.
import { z } from "zod";
import { PASSWORD_MAX_LENGTH } from "@/lib/domain/password-policy";

const userId = z.string().uuid("must be a user id");
export const userEmail = z.string().trim().toLowerCase().email("Enter a valid email").max(320, "at most 320 characters");
export const userName = z.string().trim().min(1, "Name is required").max(200, "Name is at most 200 characters");
// Checked against the policy by the service (it needs the email); here only the bounds.
export const newPassword = z.string().min(1, "A password is required").max(PASSWORD_MAX_LENGTH * 4, "The password is too long");

export const createUserInput = z.object({
  email: userEmail,
  name: userName,
  password: newPassword,
  isAdmin: z.boolean().default(false),
  isPlanner: z.boolean().default(false),
});
export const inviteUserInput = z.object({
  email: userEmail,
  name: userName,
  isAdmin: z.boolean().default(false),
  isPlanner: z.boolean().default(false),
});
export const userOnlyInput = z.object({ userId });
export const resetPasswordInput = z.object({
  userId,
  // Given: the new password, set at once. Left out: a one-time reset link for the user.
  password: newPassword.optional(),
});
export const setRolesInput = z
  .object({ userId, isAdmin: z.boolean().optional(), isPlanner: z.boolean().optional() })
  .refine((v) => v.isAdmin !== undefined || v.isPlanner !== undefined, "Say which role to grant or revoke");

// The token of an invitation or reset link: 32 random bytes, base64url.
export const linkToken = z.string().regex(/^[A-Za-z0-9_-]{43}$/, "This link is not valid");
// The name is asked of an invited person only; a reset keeps the account's name.
export const acceptLinkInput = z.object({ token: linkToken, name: userName.optional(), password: newPassword });
