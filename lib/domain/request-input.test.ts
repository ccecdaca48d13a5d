import { describe, expect, it } from "vitest";
import { acceptRequestId, badPathId, clientAddress, isHttpUrl, isUuid, sameOriginPath } from "./request-input";

describe("acceptRequestId", () => {
  it("keeps a short opaque token", () => {
    expect(acceptRequestId("ci-run_42.7")).toBe("ci-run_42.7");
    expect(acceptRequestId("6f1c2b9e-0d4a-4e8b-9c3f-2a1b0c9d8e7f")).toBe("6f1c2b9e-0d4a-4e8b-9c3f-2a1b0c9d8e7f");
    expect(acceptRequestId("x".repeat(100))).toBe("x".repeat(100));
  });
  it("refuses long, empty, or anything with other characters", () => {
    for (const v of ["x".repeat(101), "", "a b", "a\nb", "<script>", "id;drop", "ü", null, undefined]) expect(acceptRequestId(v as string | null)).toBeNull();
  });
});

describe("ids in paths", () => {
  it("isUuid accepts the 8-4-4-4-12 hex form only", () => {
    expect(isUuid("00000000-0000-4000-8000-000000000000")).toBe(true);
    for (const v of ["00000000-0000-4000-8000-00000000000", "not-an-id", "00000000-0000-4000-8000-000000000000'--", 42]) expect(isUuid(v), String(v)).toBe(false);
  });
  it("badPathId names the first malformed *Id parameter and ignores others", () => {
    expect(badPathId({ cutoverId: "00000000-0000-4000-8000-000000000000", itemId: "1" })).toBe("itemId must be an id");
    expect(badPathId({ cutoverId: "x" })).toBe("cutoverId must be an id");
    expect(badPathId({ name: "item.sign_off" })).toBeNull();
    expect(badPathId({})).toBeNull();
    expect(badPathId(undefined)).toBeNull();
  });
});

describe("isHttpUrl (links in the room)", () => {
  it("accepts absolute http and https URLs", () => {
    for (const u of ["https://grafana.example.com/d/abc?orgId=1", "http://10.0.0.1:3000/", "HTTPS://Example.com"]) expect(isHttpUrl(u), u).toBe(true);
  });
  it("refuses protocol-relative, script, data, relative, credentialed and disguised links", () => {
    for (const u of ["//evil.com", "/\\evil.com", "/runbook", "javascript:alert(1)", "JavaScript://%0aalert(1)", "data:text/html,x", "https:evil.com", "https:/evil.com", "https://\\evil.com", "https://user:pw@evil.com", "https://ex ample.com", "https://a.com/\nb", "ftp://x.com", "https://"]) {
      expect(isHttpUrl(u), u).toBe(false);
    }
  });
});

describe("sameOriginPath (sign-in callbackUrl)", () => {
  it("keeps a path on this origin", () => {
    expect(sameOriginPath("/cutovers/abc?wall=1#x")).toBe("/cutovers/abc?wall=1#x");
    expect(sameOriginPath("/")).toBe("/");
  });
  it("sends anything else to /", () => {
    for (const u of ["//evil.com", "/\\evil.com", "\\/evil.com", "https://evil.com", "/\t/evil.com", "/\n/evil.com", "javascript:alert(1)", "evil.com", "", null, undefined, `/${"a".repeat(3000)}`]) {
      expect(sameOriginPath(u as string), String(u)).toBe("/");
    }
  });
  it("with an origin, reduces an absolute URL on that origin to its path and refuses others", () => {
    expect(sameOriginPath("http://localhost:3000/cutovers?x=1", "http://localhost:3000")).toBe("/cutovers?x=1");
    expect(sameOriginPath("http://localhost:3001/cutovers", "http://localhost:3000")).toBe("/");
    expect(sameOriginPath("https://localhost:3000/cutovers", "http://localhost:3000")).toBe("/");
    expect(sameOriginPath("http://localhost:3000.evil.com/", "http://localhost:3000")).toBe("/");
  });
});

describe("clientAddress", () => {
  it("is the TCP peer unless the operator trusts a proxy", () => {
    expect(clientAddress({ peer: "::ffff:192.0.2.7", forwardedFor: "203.0.113.9", trustProxy: false })).toBe("192.0.2.7");
    expect(clientAddress({ peer: "10.0.0.2", forwardedFor: "198.51.100.1, 203.0.113.9", trustProxy: true })).toBe("203.0.113.9");
    expect(clientAddress({ peer: "10.0.0.2", forwardedFor: null, trustProxy: true })).toBe("10.0.0.2");
  });
  it("never returns something that is not an address", () => {
    expect(clientAddress({ peer: "10.0.0.2", forwardedFor: "x'; drop", trustProxy: true })).toBe("unknown");
    expect(clientAddress({ peer: undefined, forwardedFor: undefined, trustProxy: false })).toBe("unknown");
  });
});
