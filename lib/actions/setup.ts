"use server";
// The one-time setup: creates the first administrator, only while none exists.
import { redirect } from "next/navigation";
import { z } from "zod";
import { adminExists, createAdmin } from "@/lib/services/bootstrap";

const setupSchema = z.object({
  name: z.string().trim().min(1, "Name is required").max(200, "Name is too long"),
  email: z.string().trim().toLowerCase().email("Enter a valid email").max(320),
  password: z.string().min(12, "Use at least 12 characters").max(1024),
});

export interface SetupState {
  error: string | null;
}

export async function createFirstAdmin(_prev: SetupState, form: FormData): Promise<SetupState> {
  const parsed = setupSchema.safeParse({ name: form.get("name"), email: form.get("email"), password: form.get("password") });
  if (!parsed.success) return { error: parsed.error.issues[0]?.message ?? "Invalid input" };
  if (await adminExists()) return { error: "An administrator already exists: sign in instead." };
  const created = await createAdmin(parsed.data);
  if (!created) return { error: "An administrator already exists: sign in instead." };
  redirect("/sign-in");
}
