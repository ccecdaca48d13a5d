// A panel's own GET of the REST API: the JSON, or an Error with the server's message (the in-page
// error a panel shows). For the react-query functions of the room's panels.
export async function fetchView<T>(path: string): Promise<T> {
  const res = await fetch(path, { cache: "no-store" });
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as { message?: string } | null;
    throw new Error(body?.message ?? `HTTP ${res.status}`);
  }
  return (await res.json()) as T;
}
