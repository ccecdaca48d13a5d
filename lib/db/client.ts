// The one Prisma client of the process. Next's bundle and the custom server load this module
// separately, so the instance lives on globalThis: one pool per process, closed on shutdown.
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/lib/generated/prisma/client";

function create() {
  const connectionString = process.env.DATABASE_URL;
  if (!connectionString) throw new Error("DATABASE_URL is not set: the server sets it before serving");
  const adapter = new PrismaPg({ connectionString, max: Number(process.env.WARROOM_DB_POOL ?? 20), connectionTimeoutMillis: 3000 });
  // Secrets never leave the server: hashes are omitted unless a query asks for them by name.
  return new PrismaClient({ adapter, omit: { user: { passwordHash: true }, apiToken: { tokenHash: true } } });
}

export type Db = ReturnType<typeof create>;
export type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

const holder = globalThis as unknown as { __warroomPrisma?: Db };

export function db(): Db {
  holder.__warroomPrisma ??= create();
  return holder.__warroomPrisma;
}

export async function closeDb(): Promise<void> {
  const client = holder.__warroomPrisma;
  holder.__warroomPrisma = undefined;
  await client?.$disconnect();
}
