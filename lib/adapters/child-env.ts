// The environment of every program the server starts (command router, command hooks, nginx):
// built from nothing, never copied from the server's. The server's own environment holds
// NEXTAUTH_SECRET, DATABASE_URL, WARROOM_SECRET_KEY and whatever the operator exported; a program
// gets PATH (to find its tools), LANG (so its output is UTF-8) and the documented WARROOM_*
// context of the change, nothing else. A program that needs more (HOME, KUBECONFIG, a token) gets
// it from a wrapper script the operator writes.

const SAFE_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/** Context variable names are fixed by the adapters: WARROOM_ and upper case only. */
const CONTEXT_NAME = /^WARROOM_[A-Z0-9_]{1,64}$/;
// Names the server itself reads: a context variable must never shadow or repeat one of them.
const RESERVED = new Set(["WARROOM_SECRET_KEY", "WARROOM_ADMIN_PASSWORD", "WARROOM_ADMIN_TOKEN", "WARROOM_ADMIN_EMAIL", "WARROOM_OUTBOUND_ALLOW", "WARROOM_DATA_DIR", "WARROOM_CONFIG"]);

/** A minimal environment for a child process: PATH, LANG=C.UTF-8 and the given WARROOM_* context. */
export function childEnv(context: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: Record<string, string> = { PATH: process.env.PATH || SAFE_PATH, LANG: "C.UTF-8" };
  for (const [name, value] of Object.entries(context)) {
    if (!CONTEXT_NAME.test(name) || RESERVED.has(name)) throw new Error(`${name} is not a context variable a program may receive`);
    // A NUL cannot be passed in an environment; anything else is the program's to quote.
    env[name] = value.replace(/\0/g, "");
  }
  // Next's types make NODE_ENV mandatory in ProcessEnv; a child deliberately gets none.
  return env as unknown as NodeJS.ProcessEnv;
}
