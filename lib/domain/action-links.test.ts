import { describe, expect, it } from "vitest";
import { actionLinkClaims, actionLinkLabel, deriveActionLinkKey, signActionLink, verifyActionLink, ACTION_LINK_REFUSALS } from "./action-links";

const key = deriveActionLinkKey("server-secret-for-tests");
const NOW = Date.UTC(2026, 10, 29, 12, 0, 0);
const ids = { cutoverId: "11111111-1111-4111-8111-111111111111", subjectId: "22222222-2222-4222-8222-222222222222", recipient: "33333333-3333-4333-8333-333333333333" };
const claims = actionLinkClaims({ action: "decision.vote", choice: "GO", ...ids }, NOW, 15 * 60_000);
const token = signActionLink(claims, key);

describe("signed action links", () => {
  it("a link made with the key verifies to its claims until it expires", () => {
    expect(verifyActionLink(token, key, NOW + 60_000)).toEqual({ ok: true, claims });
    expect(claims).toMatchObject({ v: 1, action: "decision.vote", choice: "GO", expiresAt: NOW + 15 * 60_000, ...ids });
    const confirm = actionLinkClaims({ action: "trigger.confirm", ...ids }, NOW, 60_000);
    expect(verifyActionLink(signActionLink(confirm, key), key, NOW)).toEqual({ ok: true, claims: confirm });
  });

  it("every link has its own id", () => {
    const again = actionLinkClaims({ action: "decision.vote", choice: "GO", ...ids }, NOW, 15 * 60_000);
    expect(again.jti).not.toBe(claims.jti);
    expect(signActionLink(again, key)).not.toBe(token);
  });

  it("the key is derived: not the secret itself, different for another secret, the same for the same one", () => {
    expect(key.toString("utf8")).not.toContain("server-secret");
    expect(deriveActionLinkKey("server-secret-for-tests").equals(key)).toBe(true);
    expect(deriveActionLinkKey("another-secret").equals(key)).toBe(false);
    expect(() => deriveActionLinkKey("")).toThrow();
  });

  it("changing any one character of the token is refused", () => {
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    for (let i = 0; i < token.length; i++) {
      for (const c of [alphabet[(alphabet.indexOf(token[i]!) + 1) % 64]!, token[i] === "." ? "A" : "."]) {
        const tampered = token.slice(0, i) + c + token.slice(i + 1);
        if (tampered === token) continue;
        const verdict = verifyActionLink(tampered, key, NOW);
        expect(verdict.ok, `position ${i} → ${c}`).toBe(false);
        expect(["bad_signature", "malformed"]).toContain(verdict.ok ? null : verdict.reason);
      }
    }
  });

  it("changing any byte of the claims is refused as a bad signature", () => {
    const [body, sig] = token.split(".") as [string, string];
    const bytes = Buffer.from(body, "base64url");
    for (let i = 0; i < bytes.length; i++) {
      const copy = Buffer.from(bytes);
      copy[i] = copy[i]! ^ 0x01;
      expect(verifyActionLink(`${copy.toString("base64url")}.${sig}`, key, NOW)).toEqual({ ok: false, reason: "bad_signature" });
    }
  });

  it("another recipient's, another choice's claims under the old signature are refused", () => {
    const sig = token.split(".")[1]!;
    const forged = Buffer.from(JSON.stringify({ ...claims, recipient: "44444444-4444-4444-8444-444444444444" })).toString("base64url");
    expect(verifyActionLink(`${forged}.${sig}`, key, NOW)).toEqual({ ok: false, reason: "bad_signature" });
  });

  it("a link signed with another key is refused as a bad signature", () => {
    expect(verifyActionLink(signActionLink(claims, deriveActionLinkKey("other")), key, NOW)).toEqual({ ok: false, reason: "bad_signature" });
  });

  it("an expired link is refused as expired, from the moment it expires", () => {
    expect(verifyActionLink(token, key, claims.expiresAt)).toEqual({ ok: false, reason: "expired" });
    expect(verifyActionLink(token, key, claims.expiresAt - 1).ok).toBe(true);
  });

  it("a link of another version is refused as such, even correctly signed", () => {
    expect(verifyActionLink(signActionLink({ ...claims, v: 2 }, key), key, NOW)).toEqual({ ok: false, reason: "unsupported_version" });
  });

  it("malformed tokens are refused as malformed", () => {
    for (const bad of ["", "abc", "a.b.c", `${token}.x`, "x".repeat(5000), `${Buffer.from("not json").toString("base64url")}.${"A".repeat(43)}`]) {
      expect(["malformed", "bad_signature"]).toContain((verifyActionLink(bad, key, NOW) as { reason: string }).reason);
    }
    for (const bad of ["", "abc", "a.b.c", "x".repeat(5000)]) expect(verifyActionLink(bad, key, NOW)).toEqual({ ok: false, reason: "malformed" });
    for (const shape of [{ v: 1 }, { ...claims, action: "rollback.execute" }, { ...claims, recipient: "not-a-uuid" }, { ...claims, choice: "MAYBE" }, [], null, "text"]) {
      expect(verifyActionLink(signActionLink(shape, key), key, NOW)).toEqual({ ok: false, reason: "malformed" });
    }
  });

  it("each refusal has its own words", () => {
    expect(new Set(Object.values(ACTION_LINK_REFUSALS)).size).toBe(4);
  });

  it("labels say the action", () => {
    expect(actionLinkLabel({ action: "decision.vote", choice: "GO" })).toBe("Vote GO");
    expect(actionLinkLabel({ action: "decision.vote", choice: "NO_GO" })).toBe("Vote NO-GO");
    expect(actionLinkLabel({ action: "trigger.confirm" }, { action: "rollback", shiftToPercent: null })).toBe("Confirm rollback");
    expect(actionLinkLabel({ action: "trigger.confirm" }, { action: "shift", shiftToPercent: 10 })).toBe("Confirm shift of new to 10 %");
  });
});
