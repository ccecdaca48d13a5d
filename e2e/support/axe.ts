// The one axe-core check every accessibility test runs: WCAG 2.1 A and AA rules on the page as it
// stands. Serious and critical violations fail the test; the lesser ones are printed so that they
// are seen without blocking.
import AxeBuilder from "@axe-core/playwright";
import { expect, type Page } from "@playwright/test";

const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

export async function expectAccessible(page: Page, screen: string, options: { include?: string } = {}) {
  let builder = new AxeBuilder({ page }).withTags(TAGS);
  if (options.include) builder = builder.include(options.include);
  const { violations } = await builder.analyze();
  const describe = (v: (typeof violations)[number]) =>
    `${v.impact ?? "?"} ${v.id} (${v.nodes.length}): ${v.help}\n${v.nodes
      .slice(0, 40)
      .map((n) => `    ${n.target.join(" ")} ${n.failureSummary?.split("\n").slice(1, 2).join("") ?? ""}`)
      .join("\n")}`;
  const blocking = violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  const minor = violations.filter((v) => !blocking.includes(v));
  if (minor.length) console.log(`[axe] ${screen}: minor\n${minor.map(describe).join("\n")}`);
  expect.soft(blocking.map(describe), `serious or critical axe violations on ${screen}`).toEqual([]);
}
