// Prisma CLI configuration. The app itself never runs the CLI: it applies migrations through
// lib/db/migrate.ts. On a machine with internet `npx prisma migrate deploy` works the same.
import { defineConfig } from "prisma/config";

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://localhost:5432/warroom" },
});
