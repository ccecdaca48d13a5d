// The one connection pool of the process, shared by Prisma (through its pg adapter) and the few
// hot paths written as plain SQL (sign-off, rollback). Next's bundle and the custom server load
// this module separately, so the instances live on globalThis: one pool per process, closed on
// shutdown.
import type pg from "pg";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { createPool } from "./pool";

function appPool() {
  const connectionString = process.env.DATABASE_URL;
  if (!connectionString) throw new Error("DATABASE_URL is not set: the server sets it before serving");
  return createPool({ connectionString, name: "app", max: Number(process.env.WARROOM_DB_POOL ?? 20) });
}

function create(pool: pg.Pool) {
  const adapter = new PrismaPg(pool);
  // Secrets never leave the server: hashes are omitted unless a query asks for them by name.
  return new PrismaClient({ adapter, omit: { user: { passwordHash: true }, apiToken: { tokenHash: true } } });
}

export type Db = ReturnType<typeof create>;
export type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

const holder = globalThis as unknown as { __warroomPrisma?: Db; __warroomPool?: pg.Pool };

/** The raw pool, for statements that must be one round trip. */
export function sql(): pg.Pool {
  holder.__warroomPool ??= appPool();
  return holder.__warroomPool;
}

export function db(): Db {
  holder.__warroomPrisma ??= create(sql());
  return holder.__warroomPrisma;
}

export async function closeDb(): Promise<void> {
  const client = holder.__warroomPrisma;
  const pool = holder.__warroomPool;
  holder.__warroomPrisma = undefined;
  holder.__warroomPool = undefined;
  await client?.$disconnect();
  await pool?.end().catch(() => {});
}
