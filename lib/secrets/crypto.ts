// Secrets at rest (integration credentials): AES-256-GCM. The key comes from WARROOM_SECRETS_KEY
// (32 bytes, base64) or is created once beside the data, like the auth secret.
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

let cached: Buffer | null = null;

function key(): Buffer {
  if (cached) return cached;
  const fromEnv = process.env.WARROOM_SECRETS_KEY;
  if (fromEnv) {
    const k = Buffer.from(fromEnv, "base64");
    if (k.length !== 32) throw new Error("WARROOM_SECRETS_KEY must be 32 bytes, base64-encoded");
    return (cached = k);
  }
  const dir = path.resolve(/*turbopackIgnore: true*/ process.env.WARROOM_DATA_DIR ?? ".data");
  const file = path.join(dir, "secrets-key");
  if (!existsSync(/*turbopackIgnore: true*/ file)) {
    mkdirSync(/*turbopackIgnore: true*/ dir, { recursive: true });
    writeFileSync(/*turbopackIgnore: true*/ file, randomBytes(32).toString("base64"), { mode: 0o600, flag: "wx" });
  }
  return (cached = Buffer.from(readFileSync(/*turbopackIgnore: true*/ file, "utf8").trim(), "base64"));
}

export function encryptSecret(plain: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key(), iv);
  const body = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return `v1:${iv.toString("base64")}:${cipher.getAuthTag().toString("base64")}:${body.toString("base64")}`;
}

export function decryptSecret(stored: string): string {
  const [v, iv, tag, body] = stored.split(":");
  if (v !== "v1" || !iv || !tag || body === undefined) throw new Error("not an encrypted secret");
  const decipher = createDecipheriv("aes-256-gcm", key(), Buffer.from(iv, "base64"));
  decipher.setAuthTag(Buffer.from(tag, "base64"));
  return Buffer.concat([decipher.update(Buffer.from(body, "base64")), decipher.final()]).toString("utf8");
}
