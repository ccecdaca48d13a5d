"use server";
// The one-time setup: creates the first administrator, only while none exists.
import { redirect } from "next/navigation";
import { z } from "zod";
import { checkPassword, PASSWORD_MAX_LENGTH } from "@/lib/domain/password-policy";
import { adminExists, createAdmin } from "@/lib/services/bootstrap";

const setupSchema = z.object({
  name: z.string().trim().min(1, "Name is required").max(200, "Name is too long"),
  email: z.string().trim().toLowerCase().email("Enter a valid email").max(320),
  password: z.string().max(PASSWORD_MAX_LENGTH * 4, "The password is too long"),
});

export interface SetupState {
  error: string | null;
}

export async function createFirstAdmin(_prev: SetupState, form: FormData): Promise<SetupState> {
  const parsed = setupSchema.safeParse({ name: form.get("name"), email: form.get("email"), password: form.get("password") });
  if (!parsed.success) return { error: parsed.error.issues[0]?.message ?? "Invalid input" };
  const problem = checkPassword(parsed.data.password, { email: parsed.data.email });
  if (problem) return { error: problem };
  if (await adminExists()) return { error: "An administrator already exists: sign in instead." };
  const created = await createAdmin(parsed.data);
  if (!created) return { error: "An administrator already exists: sign in instead." };
  redirect("/sign-in");
}
