// The one signer of outbound bodies: the standard HMAC-SHA256 (a receiver in any language checks
// it), and a check that refuses a changed body, another key or a malformed header.
import { describe, expect, it } from "vitest";
import { signBody, verifySignature } from "./signer";
import { signWebhookBody, verifyWebhookSignature } from "./traffic/webhook";

describe("signBody / verifySignature", () => {
  it("is HMAC-SHA256 of the UTF-8 body, as sha256=<hex>", () => {
    // RFC-style vector (Wikipedia, HMAC): key "key", the quick brown fox.
    expect(signBody("The quick brown fox jumps over the lazy dog", "key")).toBe("sha256=f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8");
  });

  it("accepts its own signature and refuses a changed body, another key or a malformed header", () => {
    const body = JSON.stringify({ to: 25, reason: "ünïcode" });
    const sig = signBody(body, "s3cret-key");
    expect(verifySignature(body, sig, "s3cret-key")).toBe(true);
    expect(verifySignature(body, sig.toUpperCase().replace("SHA256=", "sha256="), "s3cret-key")).toBe(true);
    expect(verifySignature(body.replace("25", "26"), sig, "s3cret-key")).toBe(false);
    expect(verifySignature(body, sig, "other-key")).toBe(false);
    expect(verifySignature(body, sig.slice(0, -2), "s3cret-key")).toBe(false);
    expect(verifySignature(body, "", "s3cret-key")).toBe(false);
  });

  it("is the signer the webhook router uses", () => {
    expect(signWebhookBody("x", "k")).toBe(signBody("x", "k"));
    expect(verifyWebhookSignature("x", signBody("x", "k"), "k")).toBe(true);
  });
});
