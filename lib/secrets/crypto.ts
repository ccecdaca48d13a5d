// Secrets at rest (integration tokens, webhook keys, Prometheus credentials): AES-256-GCM, stored
// as `v1:<iv>:<tag>:<ciphertext>` (base64url). The version prefix lets a later format or key
// rotation coexist with rows written today; GCM's tag makes any change to a stored value an error
// instead of a different secret.
//
// Key: WARROOM_SECRET_KEY (base64 of 32 bytes), else created once in
// $WARROOM_DATA_DIR/secret-key (mode 0600), like the auth secret, so a restart can still read
// what was stored. Losing that file (or changing the variable) makes stored secrets unreadable:
// they must be entered again.
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";

const VERSION = "v1";
const IV_BYTES = 12;
const TAG_BYTES = 16;
// Binds a ciphertext to this use: the same key used elsewhere cannot be fed a v1 secret.
const AAD = Buffer.from("cutover-war-room secret v1");

let cached: { source: string; key: Buffer } | null = null;

export class SecretKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SecretKeyError";
  }
}

function decodeKey(text: string, where: string): Buffer {
  const t = text.trim();
  // Node's base64 decoder reads the url-safe alphabet too.
  const key = /^[A-Za-z0-9+/_-]+={0,2}$/.test(t) ? Buffer.from(t, "base64") : Buffer.alloc(0);
  if (key.length !== 32) {
    throw new SecretKeyError(`${where} must be the base64 of exactly 32 bytes (got ${key.length === 0 ? "no valid base64" : `${key.length} bytes`}): create one with "openssl rand -base64 32"`);
  }
  return key;
}

/** Where the key is created when WARROOM_SECRET_KEY is not set (same default as lib/config.ts). */
export function secretKeyFile(): string {
  return path.join(path.resolve(process.env.WARROOM_DATA_DIR ?? ".data"), "secret-key");
}

/**
 * The key, loaded once per process (and again if its source changed). Throws SecretKeyError with
 * one clear line when the variable or the file holds something else than 32 bytes. The server
 * calls this at start so a bad key stops it there rather than at the first secret.
 */
export function loadSecretKey(): Buffer {
  const fromEnv = process.env.WARROOM_SECRET_KEY;
  const source = fromEnv ? `env:${fromEnv}` : `file:${secretKeyFile()}`;
  if (cached && cached.source === source) return cached.key;
  let key: Buffer;
  if (fromEnv) {
    key = decodeKey(fromEnv, "WARROOM_SECRET_KEY");
  } else {
    const file = secretKeyFile();
    mkdirSync(path.dirname(file), { recursive: true });
    try {
      // "wx": two processes starting at once cannot both create (and disagree on) the key.
      writeFileSync(file, `${randomBytes(32).toString("base64")}\n`, { mode: 0o600, flag: "wx" });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw new SecretKeyError(`cannot create the secret key file ${file}: ${(err as NodeJS.ErrnoException).code ?? "error"}`);
    }
    try {
      // A key file copied in by hand may be readable by others: the key is as good as its mode.
      if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
    } catch {
      // not ours to change (another owner): reading it below still works or says why
    }
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch (err) {
      throw new SecretKeyError(`cannot read the secret key file ${file}: ${(err as NodeJS.ErrnoException).code ?? "error"}`);
    }
    key = decodeKey(text, `the secret key file ${file}`);
  }
  cached = { source, key };
  return key;
}

/** Forgets the loaded key, so the next use reads the variable or the file again (tests, tooling). */
export function forgetSecretKey(): void {
  cached = null;
}

/** Encrypts a secret for storage: `v1:<iv>:<tag>:<ciphertext>`, a fresh random IV every time. */
export function encryptSecret(plain: string): string {
  const key = loadSecretKey();
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(AAD);
  const ct = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  const tag = cipher.getAuthTag();
  return [VERSION, iv.toString("base64url"), tag.toString("base64url"), ct.toString("base64url")].join(":");
}

/** True when `stored` has the shape encryptSecret writes (not a proof it decrypts). */
export function isEncryptedSecret(stored: unknown): stored is string {
  return typeof stored === "string" && /^v1:[A-Za-z0-9_-]{16}:[A-Za-z0-9_-]{22}:[A-Za-z0-9_-]*$/.test(stored);
}

/**
 * The secret back. A value that is not in the format, was altered, or was written with another
 * key is an error that says so, never part of the value.
 */
export function decryptSecret(stored: string): string {
  if (!isEncryptedSecret(stored)) throw new SecretKeyError("a stored secret is not in the v1 format (was it written by hand?)");
  const [, ivText, tagText, ctText] = stored.split(":") as [string, string, string, string];
  const key = loadSecretKey();
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(ivText, "base64url"), { authTagLength: TAG_BYTES });
    decipher.setAAD(AAD);
    decipher.setAuthTag(Buffer.from(tagText, "base64url"));
    return Buffer.concat([decipher.update(Buffer.from(ctText, "base64url")), decipher.final()]).toString("utf8");
  } catch {
    throw new SecretKeyError("a stored secret cannot be decrypted: it was altered, or encrypted with another WARROOM_SECRET_KEY / secret-key file");
  }
}
