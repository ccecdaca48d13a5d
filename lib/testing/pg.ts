// For tests only: one connection for one piece of work, closed afterwards.
import pg from "pg";

export async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  // A server stopped by the test ends idle sessions with an error event: not the test's failure.
  c.on("error", () => {});
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}
