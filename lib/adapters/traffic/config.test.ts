import { describe, expect, it } from "vitest";
import { formatArgv, OUTPUT_CAP, redactOutput, redactSettings, secretValues } from "./config";

describe("redactOutput", () => {
  it("hides URL credentials, secret assignments, auth header values and the values it is told about", () => {
    const out = redactOutput(
      [
        "connecting to https://deploy:pw-123456@git.example/repo",
        'config: {"api_key": "k-abcdef", "password":"p-abcdef"}',
        "export GITHUB_TOKEN=ghp_abcdefghij",
        "Authorization: Bearer eyJhbGciOi.payload.sig",
        "the value plain-secret-xyz appears here",
        "nothing to hide here",
      ].join("\n"),
      ["plain-secret-xyz"],
    );
    for (const s of ["pw-123456", "k-abcdef", "p-abcdef", "ghp_abcdefghij", "eyJhbGciOi", "plain-secret-xyz"]) expect(out).not.toContain(s);
    expect(out).toContain("https://••••@git.example/repo");
    expect(out).toContain("GITHUB_TOKEN=••••");
    expect(out).toContain("Bearer ••••");
    expect(out).toContain("nothing to hide here");
  });

  it("keeps the tail only, and no control characters", () => {
    const out = redactOutput(`${"a".repeat(10_000)}\u001b[31mEND\u0007`);
    expect(out.length).toBeLessThanOrEqual(OUTPUT_CAP + 1);
    expect(out.endsWith("[31mEND")).toBe(true);
    expect(out.startsWith("…")).toBe(true);
  });
});

describe("secretValues / redactSettings / formatArgv", () => {
  it("find the secrets of a settings object and hide them", () => {
    const settings = { url: "https://u:pw-value@h.example/x?token=q-value", secret: "s-value-1", argv: ["tool", "--token", "t-value-1", "--password=p-value-1", "API_KEY=a-value-1", "plain"] };
    expect(secretValues(settings).sort()).toEqual(["a-value-1", "p-value-1", "s-value-1", "t-value-1"]);
    const { value, hasSecret } = redactSettings(settings);
    expect(hasSecret).toBe(true);
    expect(JSON.stringify(value)).not.toMatch(/pw-value|q-value|s-value-1|t-value-1|p-value-1|a-value-1/);
    expect(value.argv).toEqual(["tool", "--token", "••••", "--password=••••", "API_KEY=••••", "plain"]);
  });

  it("hides credentials inside a shell script argument", () => {
    const shown = formatArgv(["sh", "-c", "curl -H 'Authorization: Bearer abcdefghijk' https://u:pw-value@h.example/ && TOKEN=zzz-value run"]);
    expect(shown).not.toMatch(/abcdefghijk|pw-value|zzz-value/);
  });
});
