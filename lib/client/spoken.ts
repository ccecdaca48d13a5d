// The messages a live region holds: new ones appended, a repeat of one still shown dropped (a
// trigger's state arrives with every poll), each one removed after a while so the region never
// grows and the same change later is spoken again.
export interface Spoken {
  id: number;
  text: string;
  at: number;
}

/** At most this many messages in a region at once (the oldest goes first). */
export const SPOKEN_MAX = 3;
/** How long a message stays in its region (ms). */
export const SPOKEN_TTL_MS = 20_000;

export function addSpoken(list: readonly Spoken[], text: string, at: number, id: number): Spoken[] {
  if (!text.trim() || list.some((m) => m.text === text)) return [...list];
  return [...list, { id, text, at }].slice(-SPOKEN_MAX);
}

export function expireSpoken(list: readonly Spoken[], now: number, ttl = SPOKEN_TTL_MS): Spoken[] {
  return list.filter((m) => now - m.at < ttl);
}
