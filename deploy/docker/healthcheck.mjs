// The image's HEALTHCHECK: the slim node image has neither curl nor wget, so node asks the
// server's liveness route itself. Exit 0 when it answers 2xx within the timeout, 1 otherwise.
// Plain JavaScript with no imports: it runs in the runtime image, where no TypeScript is loaded.
import { request } from "node:http";
import { pathToFileURL } from "node:url";

/** The route the server answers with {"alive":true} (app/health/liveness/route.ts). */
export const LIVENESS_PATH = "/health/liveness";
/** The server's port when PORT is unset (lib/config.ts). */
export const DEFAULT_PORT = 3000;

/** Where to knock: the server listens on HOST (all addresses when unset or a wildcard). */
export function target(env = process.env) {
  const wildcard = !env.HOST || ["0.0.0.0", "::", "[::]"].includes(env.HOST);
  return { host: wildcard ? "127.0.0.1" : env.HOST.replace(/^\[(.*)\]$/, "$1"), port: Number(env.PORT || DEFAULT_PORT) };
}

/** Resolves true when the liveness route answered 2xx within `timeoutMs`. */
export function probe({ host, port }, timeoutMs = 2500) {
  return new Promise((resolve) => {
    const req = request({ host, port, path: LIVENESS_PATH, method: "GET", timeout: timeoutMs }, (res) => {
      res.resume();
      resolve(res.statusCode !== undefined && res.statusCode >= 200 && res.statusCode < 300);
    });
    req.on("timeout", () => req.destroy(new Error("timed out")));
    req.on("error", () => resolve(false));
    req.end();
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  process.exit((await probe(target())) ? 0 : 1);
}
