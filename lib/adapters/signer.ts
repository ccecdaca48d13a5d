// The one HMAC signer of outbound bodies (webhook router, webhook hooks): `sha256=<hex>` of the
// HMAC-SHA256 of the exact UTF-8 body bytes, keyed by the integration's secret. Receivers check it
// over the raw body before parsing it.
import { createHmac, timingSafeEqual } from "node:crypto";

export function signBody(body: string, secret: string): string {
  return `sha256=${createHmac("sha256", secret).update(body, "utf8").digest("hex")}`;
}

/** For receivers and tests: true when `header` is `sha256=<hex>` of the HMAC of `body` (compared in constant time). */
export function verifySignature(body: string, header: string, secret: string): boolean {
  const m = /^sha256=([0-9a-f]{64})$/i.exec(header?.trim() ?? "");
  if (!m) return false;
  const expected = createHmac("sha256", secret).update(body, "utf8").digest();
  return timingSafeEqual(Buffer.from(m[1]!, "hex"), expected);
}
