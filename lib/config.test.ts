import { describe, expect, it } from "vitest";
import { demoExposureWarning, listenHost } from "./config";

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
