import { describe, expect, it } from "vitest";
import { demoExposureWarning, listenHost, publicBaseUrl, readActionLinkMinutes } from "./config";

describe("where the server listens", () => {
  it("a demo stays on 127.0.0.1 unless HOST is set; otherwise all interfaces by default", () => {
    expect(listenHost({ host: null, demo: true })).toBe("127.0.0.1");
    expect(listenHost({ host: "0.0.0.0", demo: true })).toBe("0.0.0.0");
    expect(listenHost({ host: null, demo: false })).toBe("0.0.0.0");
    expect(listenHost({ host: "10.0.0.5", demo: false })).toBe("10.0.0.5");
  });
  it("says loudly that the demo accounts are reachable when HOST opens a demo to the network", () => {
    const lines = demoExposureWarning({ host: "0.0.0.0", demo: true, port: 3000 });
    expect(lines?.join("\n")).toContain("WARNING: HOST=0.0.0.0");
    expect(lines?.join("\n")).toContain("warroom-demo");
    expect(demoExposureWarning({ host: null, demo: true, port: 3000 })).toBeNull();
    expect(demoExposureWarning({ host: "127.0.0.1", demo: true, port: 3000 })).toBeNull();
    expect(demoExposureWarning({ host: "::1", demo: true, port: 3000 })).toBeNull();
    expect(demoExposureWarning({ host: "0.0.0.0", demo: false, port: 3000 })).toBeNull();
  });
});

describe("signed action links' settings", () => {
  it("WARROOM_ACTION_LINK_MINUTES: 15 by default, whole minutes from 1 to 1440, anything else refused", () => {
    expect(readActionLinkMinutes(undefined)).toBe(15);
    expect(readActionLinkMinutes("")).toBe(15);
    expect(readActionLinkMinutes("5")).toBe(5);
    for (const bad of ["0", "-1", "1.5", "abc", "1441"]) expect(() => readActionLinkMinutes(bad)).toThrow(/WARROOM_ACTION_LINK_MINUTES/);
  });
  it("the public base URL comes from NEXTAUTH_URL, without a trailing slash, and only http(s)", () => {
    const saved = process.env.NEXTAUTH_URL;
    try {
      process.env.NEXTAUTH_URL = "https://warroom.example.com/";
      expect(publicBaseUrl()).toBe("https://warroom.example.com");
      process.env.NEXTAUTH_URL = "https://example.com/warroom/";
      expect(publicBaseUrl()).toBe("https://example.com/warroom");
      process.env.NEXTAUTH_URL = "javascript:alert(1)";
      expect(publicBaseUrl()).toBeNull();
      delete process.env.NEXTAUTH_URL;
      expect(publicBaseUrl()).toBeNull();
    } finally {
      if (saved === undefined) delete process.env.NEXTAUTH_URL;
      else process.env.NEXTAUTH_URL = saved;
    }
  });
});
