// The README's pictures exist and stay small: every public/screenshots image it shows is a file
// the script (scripts/screenshots.ts) writes, under 300 KB.
import { existsSync, readFileSync, statSync } from "node:fs";
import { describe, expect, it } from "vitest";

const readme = readFileSync("README.md", "utf8");
// Markdown images and <img src="…"> alike.
const shown = [...readme.matchAll(/(?:\]\(|src=")(public\/screenshots\/[^)"\s]+)/g)].map((m) => m[1]!);

describe("README screenshots", () => {
  it("shows the room, the wall and the phone", () => {
    expect(shown).toEqual(expect.arrayContaining(["public/screenshots/room.png", "public/screenshots/wall.png", "public/screenshots/phone.png"]));
  });
  it.each(shown)("%s exists and is under 300 KB", (file) => {
    expect(existsSync(file)).toBe(true);
    expect(statSync(file).size).toBeLessThan(300 * 1024);
  });
  it("are the files the screenshot script writes", async () => {
    const { SCREENSHOTS } = await import("./screenshots");
    expect(SCREENSHOTS.map((s) => s.file).sort()).toEqual([...new Set(shown)].sort());
  });
});
