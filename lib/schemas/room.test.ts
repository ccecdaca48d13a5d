import { describe, expect, it } from "vitest";
import { contactInput, linksInput } from "./room";

const cutoverId = "7b0b1f4e-3a43-4c55-9a8f-1b2c3d4e5f60";

describe("links and contacts accept only what is safe to render as a link", () => {
  it("links.set takes absolute http(s) URLs", () => {
    expect(linksInput.parse({ cutoverId, links: [{ label: "Bridge", url: " https://meet.example.com/x " }] }).links[0]!.url).toBe("https://meet.example.com/x");
  });
  it("links.set refuses protocol-relative, relative, script and data links", () => {
    for (const url of ["//evil.com", "/\\evil.com", "/cutovers", "javascript:alert(1)", "data:text/html,hi", "https://user:pw@evil.com"]) {
      const r = linksInput.safeParse({ cutoverId, links: [{ label: "x", url }] });
      expect(r.success, url).toBe(false);
      if (!r.success) expect(r.error.issues[0]!.message).toBe("Links must be absolute http:// or https:// URLs");
    }
  });
  it("a contact's email must be an email (it becomes a mailto: link)", () => {
    expect(contactInput.parse({ cutoverId, role: "ON_CALL", name: "Pager", email: "oncall@example.com" }).email).toBe("oncall@example.com");
    expect(contactInput.parse({ cutoverId, role: "ON_CALL", name: "Pager", email: "" }).email).toBeNull();
    expect(contactInput.safeParse({ cutoverId, role: "ON_CALL", name: "Pager", email: "x@y.com?body=click%20https://evil.com" }).success).toBe(false);
  });
});
