import { describe, expect, it } from "vitest";
import { checkCookieRequest, checkOrigin, isJsonContentType, publicOrigins } from "./request-origin";

const allowed = publicOrigins("https://warroom.example.com", "warroom.example.com");

describe("publicOrigins", () => {
  it("is the public URL's origin and the request's host under the public URL's scheme", () => {
    expect(publicOrigins("https://warroom.example.com/base", "10.0.0.5:3000")).toEqual(["https://warroom.example.com", "https://10.0.0.5:3000"]);
    expect(publicOrigins("http://localhost:3000", "localhost:3000")).toEqual(["http://localhost:3000"]);
    expect(publicOrigins(undefined, "127.0.0.1:3217")).toEqual(["http://127.0.0.1:3217"]);
  });
  it("ignores a Host that is not a host name", () => {
    expect(publicOrigins(null, "evil.com/path")).toEqual([]);
    expect(publicOrigins(null, "a b")).toEqual([]);
    expect(publicOrigins("not a url", null)).toEqual([]);
  });
});

describe("checkOrigin", () => {
  it("accepts our own origin, with or without a default port", () => {
    expect(checkOrigin({ origin: "https://warroom.example.com", secFetchSite: "same-origin", allowed })).toEqual({ ok: true });
    expect(checkOrigin({ origin: "https://warroom.example.com:443", secFetchSite: null, allowed })).toEqual({ ok: true });
  });
  it("refuses another origin, another scheme, another port, a look-alike and the null origin", () => {
    for (const origin of ["https://evil.example", "http://warroom.example.com", "https://warroom.example.com:8443", "https://warroom.example.com.evil.example", "null", "javascript:alert(1)", "garbage"]) {
      const v = checkOrigin({ origin, secFetchSite: null, allowed });
      expect(v, origin).toMatchObject({ ok: false, reason: "cross_origin" });
    }
  });
  it("without Origin, trusts Sec-Fetch-Site: same-origin and none pass, cross-site and same-site do not", () => {
    expect(checkOrigin({ origin: null, secFetchSite: "same-origin", allowed }).ok).toBe(true);
    expect(checkOrigin({ origin: null, secFetchSite: "none", allowed }).ok).toBe(true);
    expect(checkOrigin({ origin: null, secFetchSite: "cross-site", allowed }).ok).toBe(false);
    expect(checkOrigin({ origin: null, secFetchSite: "same-site", allowed }).ok).toBe(false);
  });
  it("lets through a request with neither header (scripts, curl: no browser, no borrowed cookie)", () => {
    expect(checkOrigin({ origin: null, secFetchSite: null, allowed }).ok).toBe(true);
  });
});

describe("checkCookieRequest", () => {
  const json = "application/json";
  it("lets reads through whatever their origin", () => {
    expect(checkCookieRequest({ method: "GET", origin: "https://evil.example", secFetchSite: "cross-site", contentType: null, allowed }).ok).toBe(true);
    expect(checkCookieRequest({ method: "head", origin: "https://evil.example", secFetchSite: "cross-site", contentType: null, allowed }).ok).toBe(true);
  });
  it("refuses a write from another origin even with a JSON content type", () => {
    expect(checkCookieRequest({ method: "POST", origin: "https://evil.example", secFetchSite: "cross-site", contentType: json, allowed })).toMatchObject({ ok: false, reason: "cross_origin" });
    expect(checkCookieRequest({ method: "DELETE", origin: null, secFetchSite: "cross-site", contentType: json, allowed })).toMatchObject({ ok: false, reason: "cross_origin" });
  });
  it("refuses a same-origin write that is not application/json (what a cross-site form could send)", () => {
    for (const contentType of ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", null, "application/jsonp", "text/json"]) {
      expect(checkCookieRequest({ method: "POST", origin: "https://warroom.example.com", secFetchSite: "same-origin", contentType, allowed }), String(contentType)).toMatchObject({ ok: false, reason: "content_type" });
    }
  });
  it("accepts a same-origin JSON write", () => {
    expect(checkCookieRequest({ method: "POST", origin: "https://warroom.example.com", secFetchSite: "same-origin", contentType: "application/json; charset=utf-8", allowed })).toEqual({ ok: true });
  });
});

describe("isJsonContentType", () => {
  it("reads the media type's essence, case-insensitively", () => {
    for (const v of ["Application/JSON", " application/json ;charset=UTF-8"]) expect(isJsonContentType(v), v).toBe(true);
    for (const v of ["application/json-patch+json", ""]) expect(isJsonContentType(v), v).toBe(false);
  });
});
