"use client";
import { useState, type FormEvent } from "react";

/**
 * The pending flag, error message and onSubmit of a form read through FormData. `handle` resolves
 * to the message to show when it failed, or to nothing; the previous message goes at each attempt.
 */
export function useFormSubmit(handle: (form: FormData, element: HTMLFormElement) => Promise<string | void>) {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    // Taken now: React clears currentTarget once the event has been handled.
    const element = e.currentTarget;
    setPending(true);
    setError(null);
    try {
      const message = await handle(new FormData(element), element);
      if (message) setError(message);
    } finally {
      setPending(false);
    }
  }
  return { pending, error, onSubmit };
}
