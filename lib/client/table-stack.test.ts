import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { cssString, STACK_COLUMNS, stackColumnStyle } from "./table-stack";

describe("stackColumnStyle", () => {
  it("names each visible column by its position, with room for the name", () => {
    expect(stackColumnStyle([{ label: "Step" }, { label: "Planned start" }, { label: "Actions", hidden: true }])).toEqual({
      "--col-1": '"Step"',
      "--col-1-pad": "8.5rem",
      "--col-2": '"Planned start"',
      "--col-2-pad": "8.5rem",
    });
  });
  it("gives a column without a visible name nothing: its cells take the whole width", () => {
    const style = stackColumnStyle([{ label: "Level" }, { label: "Scope", hidden: true }, { label: "After" }]);
    expect(Object.keys(style)).toEqual(["--col-1", "--col-1-pad", "--col-3", "--col-3-pad"]);
  });
  it("refuses more columns than the stylesheet has rules for", () => {
    const many = Array.from({ length: STACK_COLUMNS + 1 }, (_, i) => ({ label: `c${i}` }));
    expect(() => stackColumnStyle(many)).toThrow(/at most 8/);
    expect(() => stackColumnStyle(many.slice(0, STACK_COLUMNS))).not.toThrow();
  });
});

describe("cssString", () => {
  it("quotes a name so that it cannot end the string or the declaration", () => {
    expect(cssString("Last error")).toBe('"Last error"');
    expect(cssString('say "hi"')).toBe('"say \\"hi\\""');
    expect(cssString("a\\b")).toBe('"a\\\\b"');
    expect(cssString("two\nlines")).toBe('"two lines"');
  });
});

describe("the stylesheet", () => {
  it("has a rule for every column position a table may name", () => {
    const css = readFileSync(path.join(__dirname, "../../app/globals.css"), "utf8");
    for (let n = 1; n <= STACK_COLUMNS; n++) {
      expect(css).toContain(`td:nth-child(${n})::before { content: var(--col-${n}); }`);
      expect(css).toContain(`td:nth-child(${n}) { padding-left: var(--col-${n}-pad, 0.75rem); }`);
    }
    expect(css).not.toContain(`td:nth-child(${STACK_COLUMNS + 1})`);
  });
});
