import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { renderCutoverPermissions, renderGlobalPermissions } from "./permission-doc";
import { PERMISSIONS } from "./permissions";

describe("SECURITY.md publishes the permission table the server enforces", () => {
  const doc = readFileSync(path.resolve(__dirname, "../../SECURITY.md"), "utf8");

  it("holds the cutover table exactly as rendered from PERMISSIONS", () => {
    expect(doc).toContain(renderCutoverPermissions());
  });

  it("holds the global table exactly as rendered from GLOBAL_PERMISSIONS", () => {
    expect(doc).toContain(renderGlobalPermissions());
  });

  it("renders a denied cell where the table denies", () => {
    const observerRow = renderCutoverPermissions().split("\n").find((l) => l.includes("`rollback.execute`"))!;
    const cells = observerRow.split("|").map((c) => c.trim()).filter(Boolean);
    // Action, then roles in ROLES order: Observer is the 7th role.
    expect(PERMISSIONS.OBSERVER.includes("rollback.execute")).toBe(false);
    expect(cells[7]).toBe("·");
    expect(cells[1]).toBe("✔");
  });
});
