"use client";
// The room's one announcer: a polite and an assertive live region, both visually hidden, that
// screen readers speak when a message is added. Messages are de-duplicated while shown and
// cleared after a while (lib/client/spoken.ts). The regions are in the page from the start:
// a region inserted together with its first message is not spoken by every screen reader.
import { useCallback, useEffect, useRef, useState } from "react";
import { addSpoken, expireSpoken, SPOKEN_TTL_MS, type Spoken } from "@/lib/client/spoken";
import type { Announcement } from "@/lib/client/event-words";

export function useLiveAnnouncer() {
  const [polite, setPolite] = useState<Spoken[]>([]);
  const [assertive, setAssertive] = useState<Spoken[]>([]);
  const nextId = useRef(0);

  const announce = useCallback((a: Announcement | null) => {
    if (!a) return;
    const add = (list: Spoken[]) => addSpoken(list, a.text, Date.now(), ++nextId.current);
    if (a.politeness === "assertive") setAssertive(add);
    else setPolite(add);
  }, []);

  const pending = polite.length + assertive.length > 0;
  useEffect(() => {
    if (!pending) return;
    const timer = setInterval(() => {
      const now = Date.now();
      setPolite((l) => expireSpoken(l, now));
      setAssertive((l) => expireSpoken(l, now));
    }, SPOKEN_TTL_MS / 4);
    return () => clearInterval(timer);
  }, [pending]);

  const regions = (
    <div className="sr-only">
      <div role="status" aria-live="polite" aria-atomic="false" data-testid="live-polite">
        {polite.map((m) => (
          <p key={m.id}>{m.text}</p>
        ))}
      </div>
      <div role="alert" aria-live="assertive" aria-atomic="false" data-testid="live-assertive">
        {assertive.map((m) => (
          <p key={m.id}>{m.text}</p>
        ))}
      </div>
    </div>
  );
  return { announce, regions };
}
