// Process configuration read once from the environment, with the defaults the README documents.
import path from "node:path";

export const config = {
  port: Number(process.env.PORT ?? 3000),
  hostname: process.env.HOST ?? "0.0.0.0",
  dataDir: path.resolve(/*turbopackIgnore: true*/ process.env.WARROOM_DATA_DIR ?? ".data"),
  databaseUrl: process.env.DATABASE_URL || null,
  demo: process.env.WARROOM_DEMO === "1",
  version: process.env.npm_package_version ?? "0.1.0",
};
