import { describe, expect, it } from "vitest";
import { shortReason } from "./schemas";

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
