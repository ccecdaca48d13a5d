import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkAddress, classifyAddress, parseAllowEntry, parseAllowList, splitAllowList, type AllowEntry } from "./policy";

const entries = (...raw: string[]): AllowEntry[] => parseAllowList(raw).entries;

describe("classifyAddress", () => {
  it.each([
    ["127.0.0.1", "loopback"],
    ["127.255.0.9", "loopback"],
    ["::1", "loopback"],
    ["10.0.0.5", "private"],
    ["172.16.0.1", "private"],
    ["172.31.255.255", "private"],
    ["192.168.1.1", "private"],
    ["169.254.169.254", "linkLocal"],
    ["169.254.1.1", "linkLocal"],
    ["fe80::1", "linkLocal"],
    ["fc00::1", "uniqueLocal"],
    ["fd00:ec2::254", "uniqueLocal"],
    ["0.0.0.0", "unspecified"],
    ["::", "unspecified"],
    ["255.255.255.255", "broadcast"],
    ["224.0.0.1", "multicast"],
    ["ff02::1", "multicast"],
    ["100.64.0.1", "carrierGradeNat"],
    ["192.0.2.1", "reserved"],
    ["240.0.0.1", "reserved"],
    // IPv4 inside IPv6: mapped is the IPv4 address; NAT64 / 6to4 / Teredo are not public unicast.
    ["::ffff:127.0.0.1", "loopback"],
    ["::ffff:7f00:1", "loopback"],
    ["::ffff:10.1.2.3", "private"],
    ["::ffff:169.254.169.254", "linkLocal"],
    ["64:ff9b::a00:1", "rfc6052"],
    ["2002:7f00:1::", "6to4"],
    ["2001:0:4136:e378::1", "teredo"],
  ])("%s is not public (%s)", (address, range) => {
    expect(classifyAddress(address)).toMatchObject({ public: false, range });
  });

  it.each(["8.8.8.8", "1.1.1.1", "172.32.0.1", "100.128.0.1", "2606:4700:4700::1111", "::ffff:8.8.8.8"])("%s is public", (address) => {
    expect(classifyAddress(address)).toEqual({ public: true });
  });

  it("names the metadata address, and anything unparseable is never public", () => {
    expect(classifyAddress("169.254.169.254")).toMatchObject({ description: "the cloud metadata address" });
    expect(classifyAddress("fd00:ec2::254")).toMatchObject({ description: "the cloud metadata address" });
    for (const junk of ["", "localhost", "127.1", "2130706433", "0x7f.0.0.1", "1.2.3.4.5", "::g"]) expect(classifyAddress(junk).public).toBe(false);
  });

  it("every address of the private, loopback and link-local IPv4 ranges, plain or IPv4-mapped, is refused", () => {
    const octet = fc.integer({ min: 0, max: 255 });
    const special = fc.oneof(
      fc.tuple(octet, octet, octet).map(([b, c, d]) => `10.${b}.${c}.${d}`),
      fc.tuple(fc.integer({ min: 16, max: 31 }), octet, octet).map(([b, c, d]) => `172.${b}.${c}.${d}`),
      fc.tuple(octet, octet).map(([c, d]) => `192.168.${c}.${d}`),
      fc.tuple(octet, octet, octet).map(([b, c, d]) => `127.${b}.${c}.${d}`),
      fc.tuple(octet, octet).map(([c, d]) => `169.254.${c}.${d}`),
      fc.tuple(fc.integer({ min: 64, max: 127 }), octet, octet).map(([b, c, d]) => `100.${b}.${c}.${d}`),
    );
    fc.assert(
      fc.property(special, fc.boolean(), (v4, mapped) => {
        const address = mapped ? `::ffff:${v4}` : v4;
        expect(checkAddress("target.example", address, [])).toMatch(/^refused: .* \(ask an administrator to allow-list the host\)$/);
      }),
      { numRuns: 2000 },
    );
  });
});

describe("allow-list entries", () => {
  it("reads host names, addresses and ranges, and refuses anything else with a reason", () => {
    expect(parseAllowEntry("Prom.Example.")).toMatchObject({ entry: { kind: "host", name: "prom.example" } });
    expect(parseAllowEntry("localhost")).toMatchObject({ entry: { kind: "host", name: "localhost" } });
    expect(parseAllowEntry("10.0.0.0/8")).toMatchObject({ entry: { kind: "cidr", bits: 8 } });
    expect(parseAllowEntry("127.0.0.1")).toMatchObject({ entry: { kind: "cidr", bits: 32 } });
    expect(parseAllowEntry("[::1]")).toMatchObject({ entry: { kind: "cidr", bits: 128 } });
    expect(parseAllowEntry("fd00::/8")).toMatchObject({ entry: { kind: "cidr", bits: 8 } });
    for (const bad of ["", "http://prom.example", "prom.example:9090", "*.example", "10.0.0.0/33", "10.0.0.0/x", "127.1", "2130706433", "0x7f.1", "a b", "a..b"]) {
      expect(parseAllowEntry(bad)).toHaveProperty("error");
    }
    expect(parseAllowList(["ok.example", "not ok", "10.0.0.0/8"])).toMatchObject({ invalid: ["not ok"] });
    expect(splitAllowList(" a.example, 10.0.0.0/8\nb.example ,,")).toEqual(["a.example", "10.0.0.0/8", "b.example"]);
  });

  it("a listed host name allows whatever it resolves to; other names resolving there stay refused", () => {
    const list = entries("prom.internal");
    expect(checkAddress("prom.internal", "10.0.0.5", list)).toBeNull();
    expect(checkAddress("PROM.internal.", "10.0.0.5", list)).toBeNull();
    expect(checkAddress("evil.example", "10.0.0.5", list)).toBe("refused: 10.0.0.5 is a private address (ask an administrator to allow-list the host)");
  });

  it("a listed address or range allows exactly that, whatever name leads there", () => {
    const list = entries("10.1.0.0/16", "127.0.0.1", "fd12::/16");
    expect(checkAddress("a.example", "10.1.200.3", list)).toBeNull();
    expect(checkAddress("a.example", "10.2.0.1", list)).not.toBeNull();
    expect(checkAddress("127.0.0.1", "127.0.0.1", list)).toBeNull();
    expect(checkAddress("localhost", "127.0.0.2", list)).not.toBeNull();
    expect(checkAddress("[::ffff:127.0.0.1]", "::ffff:127.0.0.1", list)).toBeNull();
    expect(checkAddress("x", "fd12:3::1", list)).toBeNull();
    expect(checkAddress("x", "::1", list)).toMatch(/loopback/);
    // An IPv4-mapped range is the IPv4 range.
    expect(checkAddress("x", "192.168.0.9", entries("::ffff:192.168.0.0/112"))).toBeNull();
  });

  it("public addresses need no entry", () => {
    expect(checkAddress("example.com", "93.184.216.34", [])).toBeNull();
  });
});
