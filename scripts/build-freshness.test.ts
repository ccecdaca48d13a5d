import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { decideBuild, fingerprint, isBuildInput, parseStamp, parseStartArgs, STAMP_FORMAT } from "./build-freshness";
import { listInputs, serverCommand, sourceFingerprint } from "./start";

const files = [
  { path: "app/page.tsx", content: "export default function Page() { return null; }" },
  { path: "lib/domain/x.ts", content: "export const x = 1;" },
];
const fp = fingerprint(files, {});
const stamp = { format: STAMP_FORMAT, fingerprint: fp, buildId: "b1", builtAt: "2026-11-29T08:00:00.000Z" };

describe("decideBuild", () => {
  it("skips the build when the sources match the last build's and every output is there", () => {
    expect(decideBuild({ rebuildRequested: false, stamp, current: fp, buildId: "b1", missingOutputs: [] })).toMatchObject({ build: false });
  });
  it("builds when asked, even when nothing changed", () => {
    expect(decideBuild({ rebuildRequested: true, stamp, current: fp, buildId: "b1", missingOutputs: [] })).toEqual({ build: true, reason: "a rebuild was asked for (--rebuild)" });
  });
  it("builds when an output is missing", () => {
    const d = decideBuild({ rebuildRequested: false, stamp, current: fp, buildId: "b1", missingOutputs: [".next/BUILD_ID"] });
    expect(d.build).toBe(true);
    expect(d.reason).toContain(".next/BUILD_ID");
  });
  it("builds when .next holds another build than the stamp's (npm run build since, from other sources)", () => {
    expect(decideBuild({ rebuildRequested: false, stamp, current: fp, buildId: "b2", missingOutputs: [] })).toEqual({ build: true, reason: "the build in .next is not the one the stamp describes" });
  });
  it("builds when there is no stamp (first start, or a build that failed or was interrupted)", () => {
    expect(decideBuild({ rebuildRequested: false, stamp: null, current: fp, buildId: "b1", missingOutputs: [] }).build).toBe(true);
  });
  it("builds when the sources changed", () => {
    const changed = fingerprint([files[0]!, { path: "lib/domain/x.ts", content: "export const x = 2;" }], {});
    expect(decideBuild({ rebuildRequested: false, stamp, current: changed, buildId: "b1", missingOutputs: [] })).toEqual({ build: true, reason: "the sources changed since the last build" });
  });
});

describe("fingerprint", () => {
  it("does not depend on the order files were listed in", () => {
    expect(fingerprint([...files].reverse(), {})).toBe(fp);
  });
  it("changes with a file's content, its name, an added or removed file", () => {
    const variants = [
      [{ ...files[0]!, content: files[0]!.content + " " }, files[1]!],
      [files[0]!, { ...files[1]!, path: "lib/domain/y.ts" }],
      [...files, { path: "public/robots.txt", content: "" }],
      [files[0]!],
    ];
    const all = variants.map((v) => fingerprint(v, {}));
    expect(new Set([fp, ...all]).size).toBe(variants.length + 1);
  });
  it("tells apart bytes moved from the end of one file to the start of the next", () => {
    const a = fingerprint([{ path: "a", content: "xy" }, { path: "b", content: "z" }], {});
    const b = fingerprint([{ path: "a", content: "x" }, { path: "b", content: "yz" }], {});
    expect(a).not.toBe(b);
  });
  it("counts the NEXT_PUBLIC_ variables Next writes into the browser's code, and no other variable", () => {
    expect(fingerprint(files, { NEXT_PUBLIC_TITLE: "a" })).not.toBe(fingerprint(files, { NEXT_PUBLIC_TITLE: "b" }));
    expect(fingerprint(files, { PORT: "3000", WARROOM_LAB: "1" })).toBe(fp);
  });
});

describe("isBuildInput", () => {
  it.each(["app/page.tsx", "lib/services/traffic.ts", "public/robots.txt", "prisma/schema.prisma", "components/war-room/room.tsx"])("counts %s", (p) => {
    expect(isBuildInput(p)).toBe(true);
  });
  it.each(["lib/generated/prisma/client.ts", "lib/generated", "lib/domain/plan.test.ts", "components/x.test.tsx", "lib/a.ts~", "lib/.a.ts.swp", "app/.DS_Store"])("leaves out %s", (p) => {
    expect(isBuildInput(p)).toBe(false);
  });
});

describe("parseStamp", () => {
  it("reads what a build wrote", () => {
    expect(parseStamp(JSON.stringify(stamp))).toEqual(stamp);
  });
  it.each([null, "", "{", "null", JSON.stringify({ ...stamp, format: STAMP_FORMAT + 1 }), JSON.stringify({ ...stamp, fingerprint: "abc" }), JSON.stringify({ ...stamp, buildId: "" })])("takes %j as no stamp", (text) => {
    expect(parseStamp(text)).toBeNull();
  });
});

describe("parseStartArgs", () => {
  it("knows --rebuild", () => {
    expect(parseStartArgs([])).toEqual({ rebuild: false });
    expect(parseStartArgs(["--rebuild"])).toEqual({ rebuild: true });
  });
  it("refuses anything else instead of ignoring it", () => {
    expect(() => parseStartArgs(["--rebiuld"])).toThrow(/unknown option --rebiuld/);
  });
});

describe("the sources of a checkout", () => {
  const root = mkdtempSync(path.join(os.tmpdir(), "warroom-fresh-"));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const write = (rel: string, text: string) => {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), text);
  };

  it("are listed from the build's inputs only, and their fingerprint follows edits but not tests or generated code", () => {
    write("app/page.tsx", "a");
    write("lib/domain/x.ts", "b");
    write("lib/domain/x.test.ts", "t");
    write("lib/generated/prisma/client.ts", "g");
    write("e2e/room.spec.ts", "e");
    write("package.json", "{}");
    expect(listInputs(root)).toEqual(["app/page.tsx", "lib/domain/x.ts", "package.json"]);
    const before = sourceFingerprint(root, {});
    write("lib/domain/x.test.ts", "t2");
    write("lib/generated/prisma/client.ts", "g2");
    write("e2e/room.spec.ts", "e2");
    expect(sourceFingerprint(root, {})).toBe(before);
    write("lib/domain/x.ts", "b2");
    expect(sourceFingerprint(root, {})).not.toBe(before);
  });
});

describe("serverCommand", () => {
  it("runs the bundle on plain node in production, with tsx's loader only when the lab is asked for", () => {
    const plain = serverCommand({ PORT: "4000" });
    expect(plain.args).toEqual([".next/warroom-server/main.mjs"]);
    expect(plain.env).toMatchObject({ PORT: "4000", NODE_ENV: "production", MALLOC_ARENA_MAX: "2" });
    expect(serverCommand({ WARROOM_LAB: "1" }).args).toEqual(["--import", "tsx", "--import", "./scripts/lab/register.ts", ".next/warroom-server/main.mjs"]);
    expect(serverCommand({ WARROOM_LAB: "" }).args).toEqual([".next/warroom-server/main.mjs"]);
  });
});
