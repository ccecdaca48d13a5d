import { randomBytes } from "node:crypto";
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { decryptSecret, encryptSecret, forgetSecretKey, isEncryptedSecret, loadSecretKey, secretKeyFile } from "./crypto";

let dir: string;
const saved = { key: process.env.WARROOM_SECRET_KEY, dataDir: process.env.WARROOM_DATA_DIR };

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), "warroom-secrets-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => {
  if (saved.key === undefined) delete process.env.WARROOM_SECRET_KEY;
  else process.env.WARROOM_SECRET_KEY = saved.key;
  if (saved.dataDir === undefined) delete process.env.WARROOM_DATA_DIR;
  else process.env.WARROOM_DATA_DIR = saved.dataDir;
});

const useKey = (key = randomBytes(32)) => {
  process.env.WARROOM_SECRET_KEY = key.toString("base64");
  return key;
};

describe("encryptSecret / decryptSecret", () => {
  it("round-trips any text, in the v1 format, with a fresh IV every time", () => {
    useKey();
    for (const plain of ["", "s3cret-token", "pässwörd ✓ 🔑", "x".repeat(10_000)]) {
      const stored = encryptSecret(plain);
      expect(stored).toMatch(/^v1:[A-Za-z0-9_-]{16}:[A-Za-z0-9_-]{22}:[A-Za-z0-9_-]*$/);
      expect(isEncryptedSecret(stored)).toBe(true);
      expect(decryptSecret(stored)).toBe(plain);
    }
    const a = encryptSecret("same");
    const b = encryptSecret("same");
    expect(a).not.toBe(b);
    expect(a).not.toContain(Buffer.from("same").toString("base64url"));
  });

  it("any change to a stored value is an error that says so, without the value", () => {
    useKey();
    const stored = encryptSecret("the-real-secret");
    const [v, iv, tag, ct] = stored.split(":") as [string, string, string, string];
    const flip = (s: string) => (s[0] === "A" ? "B" : "A") + s.slice(1);
    for (const bad of [`${v}:${flip(iv)}:${tag}:${ct}`, `${v}:${iv}:${flip(tag)}:${ct}`, `${v}:${iv}:${tag}:${flip(ct)}`, `${v}:${iv}:${tag}:${ct}AA`]) {
      expect(() => decryptSecret(bad)).toThrow(/cannot be decrypted: it was altered, or encrypted with another WARROOM_SECRET_KEY/);
    }
    for (const bad of ["plain text", `v2:${iv}:${tag}:${ct}`, `v1:${iv}:${tag}`, ""]) {
      expect(() => decryptSecret(bad)).toThrow("a stored secret is not in the v1 format");
    }
    try {
      decryptSecret(`${v}:${iv}:${flip(tag)}:${ct}`);
    } catch (err) {
      expect((err as Error).message).not.toContain(ct);
    }
  });

  it("another key cannot read it", () => {
    useKey();
    const stored = encryptSecret("token");
    useKey();
    expect(() => decryptSecret(stored)).toThrow(/cannot be decrypted/);
  });

  it("refuses a WARROOM_SECRET_KEY that is not 32 bytes, with one clear line", () => {
    for (const [value, got] of [
      [randomBytes(16).toString("base64"), "16 bytes"],
      [randomBytes(33).toString("base64"), "33 bytes"],
      ["not base64 at all!", "no valid base64"],
    ] as const) {
      process.env.WARROOM_SECRET_KEY = value;
      expect(() => encryptSecret("x")).toThrow(`WARROOM_SECRET_KEY must be the base64 of exactly 32 bytes (got ${got}): create one with "openssl rand -base64 32"`);
    }
    // base64url is read too.
    const key = randomBytes(32);
    process.env.WARROOM_SECRET_KEY = key.toString("base64url");
    expect(loadSecretKey().equals(key)).toBe(true);
  });
});

describe("the key file", () => {
  it("is created once in the data directory with mode 0600 and reused", () => {
    delete process.env.WARROOM_SECRET_KEY;
    process.env.WARROOM_DATA_DIR = path.join(dir, "data");
    const file = secretKeyFile();
    expect(file).toBe(path.join(dir, "data", "secret-key"));
    const stored = encryptSecret("kept across restarts");
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const text = readFileSync(file, "utf8");
    expect(Buffer.from(text.trim(), "base64")).toHaveLength(32);
    // A restart reads the same key from the file.
    forgetSecretKey();
    expect(decryptSecret(stored)).toBe("kept across restarts");
    expect(readFileSync(file, "utf8")).toBe(text);
  });

  it("a key file readable by others is made 0600", () => {
    delete process.env.WARROOM_SECRET_KEY;
    process.env.WARROOM_DATA_DIR = path.join(dir, "loose");
    loadSecretKey();
    chmodSync(secretKeyFile(), 0o644);
    forgetSecretKey();
    loadSecretKey();
    expect(statSync(secretKeyFile()).mode & 0o777).toBe(0o600);
  });

  it("a damaged key file is one clear line", () => {
    delete process.env.WARROOM_SECRET_KEY;
    process.env.WARROOM_DATA_DIR = path.join(dir, "damaged");
    loadSecretKey();
    writeFileSync(secretKeyFile(), "short");
    forgetSecretKey();
    expect(() => loadSecretKey()).toThrow(/the secret key file .*secret-key must be the base64 of exactly 32 bytes/);
  });
});
