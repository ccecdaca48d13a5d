// Hosts (names, addresses, CIDR ranges) that outbound requests may reach even when they resolve to
// a loopback, private or link-local address. Several sources contribute (the operator's file, the
// administrators' table); each is asked again after invalidateAllowList().
const sources: (() => string[])[] = [];
let current: string[] | null = null;

export function addAllowListSource(fn: () => string[]): void {
  sources.push(fn);
  current = null;
}

export function invalidateAllowList(): void {
  current = null;
}

export function allowListEntries(): string[] {
  current ??= [...new Set(sources.flatMap((s) => s()))];
  return current;
}
