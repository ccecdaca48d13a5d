import { notFound } from "next/navigation";
import { adminExists } from "@/lib/services/bootstrap";
import { SetupForm } from "@/components/setup-form";

export const dynamic = "force-dynamic";

export default async function SetupPage() {
  // The page exists only until the first administrator does.
  if (await adminExists()) notFound();
  return (
    <main className="mx-auto mt-24 max-w-sm rounded-lg border border-neutral-200 bg-white p-6 dark:border-neutral-800 dark:bg-neutral-900">
      <h1 className="mb-1 text-xl font-semibold">Set up Cutover War Room</h1>
      <p className="mb-6 text-sm text-muted">Create the first administrator. This page disappears afterwards.</p>
      <SetupForm />
    </main>
  );
}
