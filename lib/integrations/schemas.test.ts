import { describe, expect, it } from "vitest";
import { describeSettings, destinations, fileOnlyReason, parseIntegrationSettings, secretFields, shortReason } from "./schemas";

describe("shortReason: what the room may read of an integration's failure", () => {
  it("keeps only a URL's origin", () => {
    expect(shortReason("POST https://user:pw@router.example/api/split?token=abc failed")).toBe("POST https://router.example failed");
  });

  it("keeps only the last part of a server path", () => {
    expect(shortReason("HAProxy runtime API at /var/run/warroom/haproxy/admin.sock is unreachable: connect ENOENT /var/run/warroom/haproxy/admin.sock")).toBe(
      "HAProxy runtime API at …/admin.sock is unreachable: connect ENOENT …/admin.sock",
    );
    expect(shortReason('the HAProxy state file "/etc/haproxy/state" could not be written')).toBe('the HAProxy state file "…/state" could not be written');
  });

  it("leaves ratios, percentages and relative words alone", () => {
    expect(shortReason("split 50/50 verified: old=50, new=50")).toBe("split 50/50 verified: old=50, new=50");
  });

  it("keeps the first line, without control characters, at most 160 characters", () => {
    expect(shortReason("first\u0007 line\nsecond line")).toBe("first  line");
    expect(shortReason("x".repeat(300))).toHaveLength(158);
  });
});

describe("channels: what an administrator may define and what is a secret", () => {
  it("parses each kind with its defaults", () => {
    expect(parseIntegrationSettings("channel", "slack", { url: "https://hooks.slack.com/services/T/B/X" })).toEqual({ ok: true, value: { type: "channel", kind: "slack", config: { url: "https://hooks.slack.com/services/T/B/X", timeoutMs: 10_000 } } });
    const email = parseIntegrationSettings("channel", "email", { host: "smtp.example.com", from: "warroom@example.com", to: ["ops@example.com"] });
    expect(email).toMatchObject({ ok: true, value: { kind: "email", config: { port: 587, security: "starttls" } } });
    expect(parseIntegrationSettings("channel", "webhook", { url: "https://hooks.example.com/x", secret: "0123456789abcdef" })).toMatchObject({ ok: true });
  });

  it("refuses what is not a channel's settings", () => {
    expect(parseIntegrationSettings("channel", "command", {})).toEqual({ ok: false, error: "a channel is one of: slack, webhook, email" });
    expect(parseIntegrationSettings("channel", "email", { host: "smtp.example.com", from: "not an address", to: ["ops@example.com"] })).toMatchObject({ ok: false, error: expect.stringContaining("from") });
    expect(parseIntegrationSettings("channel", "email", { host: "smtp.example.com", from: "a@example.com", to: [] })).toMatchObject({ ok: false });
    expect(parseIntegrationSettings("channel", "email", { host: "smtp.example.com", from: "a@example.com", to: ["b@example.com"], username: "u" })).toMatchObject({ ok: false, error: expect.stringContaining("password") });
    expect(parseIntegrationSettings("channel", "webhook", { url: "https://hooks.example.com/x", secret: "short" })).toMatchObject({ ok: false });
    expect(parseIntegrationSettings("channel", "slack", { url: "ftp://hooks.example.com/x" })).toMatchObject({ ok: false });
  });

  it("keeps the Slack URL, the signing secret and the SMTP credentials as secrets, never described", () => {
    expect(secretFields("channel", "slack")).toEqual(["url"]);
    expect(secretFields("channel", "webhook")).toEqual(["secret"]);
    expect(secretFields("channel", "email")).toEqual(["username", "password"]);
    expect(describeSettings("channel", "email", { host: "smtp.example.com", port: 587, to: ["a@example.com", "b@example.com"], username: "u", password: "p" })).toEqual({ host: "smtp.example.com", port: 587, to: "a@example.com, b@example.com" });
    expect(describeSettings("channel", "slack", { url: "https://hooks.slack.com/services/T/B/X", timeoutMs: 1000 })).toEqual({ timeoutMs: 1000 });
    expect(fileOnlyReason("channel", "webhook", { url: "https://hooks.example.com/x?token=abc" })).toContain("token");
  });

  it("asks for the SMTP password again when the server it goes to changes", () => {
    expect(destinations({ host: "smtp.example.com", port: 587 })).not.toBe(destinations({ host: "smtp.evil.example", port: 587 }));
    expect(destinations({ host: "smtp.example.com", port: 587 })).not.toBe(destinations({ host: "smtp.example.com", port: 25 }));
  });
});
