// The room at the sizes people use it: a phone (360–430 px wide, 390×844 for the flows) in a
// lead's hand, a laptop (1440×900) at the desk, the wall on a TV (1920×1080) read from across the room.
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { contrastRatio, type Rgb } from "../lib/client/wall";
import { startLab, type Lab } from "../scripts/lab/index";
import { adminCommand, asAdmin, DEMO, E2E_BASE, openDemoCutover, ROOM_TABS, signIn } from "./support/fixtures";
import { addLabIntegrations, pickRouter } from "./support/lab-integrations";

const PHONE = { width: 390, height: 844 };
const LAPTOP = { width: 1440, height: 900 };
const TV = { width: 1920, height: 1080 };

/** Nothing wider than the screen: no sideways scrolling of the page itself. */
async function expectNoSidewaysScroll(page: Page, what: string) {
  await page.waitForLoadState("networkidle");
  const { scrollWidth, innerWidth, culprits } = await page.evaluate(() => {
    const w = window.innerWidth;
    // For the message: the outermost elements that stick out.
    const culprits = [...document.querySelectorAll<HTMLElement>("body *")]
      .filter((el) => el.getBoundingClientRect().right > w + 1)
      // Inside a container that scrolls or clips, an element does not widen the page.
      .filter((el) => {
        for (let n = el.parentElement; n && n !== document.body; n = n.parentElement) if (getComputedStyle(n).overflowX !== "visible") return false;
        return true;
      })
      .filter((el) => !(el.parentElement && el.parentElement.getBoundingClientRect().right > w + 1))
      .slice(0, 5)
      .map((el) => `${el.tagName.toLowerCase()}${el.dataset.testid ? `[data-testid=${el.dataset.testid}]` : ""}.${String(el.className).slice(0, 80)}`);
    return { scrollWidth: document.documentElement.scrollWidth, innerWidth: w, culprits };
  });
  expect(scrollWidth, `${what} is ${scrollWidth} px wide on a ${innerWidth} px screen: ${culprits.join(" | ")}`).toBe(innerWidth);
}

/**
 * Nor inside the page: no table or panel that must be scrolled sideways to be read. The tab bar
 * is the one thing that scrolls sideways by design.
 */
async function expectNothingScrollsSideways(page: Page, what: string) {
  const scrollers = await page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>("body *")]
      .filter((el) => ["auto", "scroll"].includes(getComputedStyle(el).overflowX) && el.scrollWidth > el.clientWidth + 1)
      .filter((el) => el.getAttribute("role") !== "tablist")
      .map((el) => `${el.tagName.toLowerCase()}.${String(el.className).slice(0, 60)} (${el.scrollWidth} px in ${el.clientWidth}): ${(el.textContent ?? "").trim().slice(0, 60)}`),
  );
  expect(scrollers, `${what}: parts that scroll sideways`).toEqual([]);
}

/** Signs off the first item the page offers a "Sign off" for (with a note when it asks for one). */
async function signOffFirst(page: Page, how: "click" | "tap") {
  const item = page.getByTestId("checklist-item").filter({ has: page.getByRole("button", { name: /^Sign off / }) }).first();
  const row = page.locator(`[data-testid="checklist-item"][data-item-id="${await item.getAttribute("data-item-id")}"]`);
  await row.getByRole("button", { name: /^Sign off / })[how]();
  const note = row.locator("input[required]");
  if (await note.isVisible().catch(() => false)) {
    await note.fill(`signed off with a ${how}`);
    await row.getByRole("button", { name: "Confirm" })[how]();
  }
  return row;
}

// Phones from the narrowest in common use to the widest: every screen fits each of them.
for (const width of [360, 390, 430]) {
  test.describe(`phone ${width} px wide`, () => {
    test.use({ viewport: { width, height: PHONE.height } });

    test("every screen fits without sideways scrolling: sign-in, list, new cutover, each tab of the room, report, admin", async ({ page }) => {
      test.setTimeout(120_000);
      await page.goto("/sign-in");
      await expectNoSidewaysScroll(page, "sign-in");
      await expectNothingScrollsSideways(page, "sign-in");
      await signIn(page, DEMO.lead);
      await expectNoSidewaysScroll(page, "the cutover list");
      await expectNothingScrollsSideways(page, "the cutover list");
      const cutoverId = await openDemoCutover(page, null);
      // The walk covers every tab the room shows.
      await expect(page.getByRole("tablist").getByRole("tab")).toHaveText([...ROOM_TABS]);
      for (const tab of ROOM_TABS) {
        await page.getByRole("tab", { name: tab, exact: true }).click();
        await expect(page.getByRole("tab", { name: tab, exact: true })).toHaveAttribute("aria-selected", "true");
        await expectNoSidewaysScroll(page, `the room's ${tab} tab`);
        await expectNothingScrollsSideways(page, `the room's ${tab} tab`);
      }
      // The tab bar scrolls within itself: its last tab is reachable, the page does not move.
      await page.getByRole("tab", { name: "Audit" }).scrollIntoViewIfNeeded();
      await expect(page.getByRole("tab", { name: "Audit" })).toBeInViewport();
      await page.goto(`/cutovers/${cutoverId}?wall=1`);
      await expect(page.getByTestId("wall")).toBeVisible();
      await expectNoSidewaysScroll(page, "the wall");
      await expectNothingScrollsSideways(page, "the wall");
      for (const path of [`/cutovers/${cutoverId}/report`, "/cutovers/new", "/admin/users", "/admin/integrations", "/admin/sso", "/settings/tokens"]) {
        await page.goto(path);
        await expectNoSidewaysScroll(page, path);
        await expectNothingScrollsSideways(page, path);
      }
    });
  });
}

test.describe("phone 390×844", () => {
  test.use({ viewport: PHONE });

  test.describe("on a touch screen", () => {
    test.use({ viewport: PHONE, isMobile: true, hasTouch: true });

    test("a QA lead signs off one of their items with a thumb: the control is at least 44 px", async ({ page }) => {
      await signIn(page, DEMO.qa);
      await openDemoCutover(page);
      const button = page.getByRole("button", { name: /^Sign off / }).first();
      await button.scrollIntoViewIfNeeded();
      const box = (await button.boundingBox())!;
      expect(box.height).toBeGreaterThanOrEqual(44);
      expect(box.width).toBeGreaterThanOrEqual(44);
      const row = await signOffFirst(page, "tap");
      await expect(row).toHaveAttribute("data-state", "done");
    });
  });
});

test.describe("laptop 1440×900", () => {
  test.use({ viewport: LAPTOP });

  test("open the room, sign off an item, look at the wall and come back", async ({ page }) => {
    await signIn(page, DEMO.dba);
    await openDemoCutover(page);
    const row = await signOffFirst(page, "click");
    await expect(row).toHaveAttribute("data-state", "done");
    await expectNoSidewaysScroll(page, "the room on a laptop");
    await page.locator("body").press("w");
    await expect(page.getByTestId("wall")).toBeVisible();
    await expect(page.getByTestId("wall-split")).toBeVisible();
    await page.getByRole("button", { name: "Exit wall mode" }).click();
    await expect(page.getByTestId("wall")).toHaveCount(0);
  });
});

/** Text colour and the colour behind it (the first ancestor with an opaque background), as sRGB. */
async function colours(page: Page, selector: string): Promise<{ fg: Rgb; bg: Rgb; text: string }[]> {
  return page.locator(selector).evaluateAll((els) => {
    const ctx = document.createElement("canvas").getContext("2d", { willReadFrequently: true })!;
    const rgba = (css: string) => {
      ctx.clearRect(0, 0, 1, 1);
      ctx.fillStyle = "#000";
      ctx.fillStyle = css;
      ctx.fillRect(0, 0, 1, 1);
      const d = ctx.getImageData(0, 0, 1, 1).data;
      return [d[0]!, d[1]!, d[2]!, d[3]!] as const;
    };
    return els.map((el) => {
      let bg: readonly number[] = [0, 0, 0, 0];
      for (let n: Element | null = el; n; n = n.parentElement) {
        const c = rgba(getComputedStyle(n).backgroundColor);
        if (c[3] === 255) {
          bg = c;
          break;
        }
      }
      const fg = rgba(getComputedStyle(el).color);
      return { fg: [fg[0], fg[1], fg[2]] as [number, number, number], bg: [bg[0]!, bg[1]!, bg[2]!] as [number, number, number], text: el.textContent ?? "" };
    });
  });
}

test.describe("on the lab: the wall on a TV (1920×1080), the rollback bar on a phone", () => {
  test.use({ viewport: TV });
  let lab: Lab;
  let cutoverId: string;

  const cmd = adminCommand;

  test.beforeAll(async ({ request }) => {
    test.setTimeout(120_000);
    lab = await startLab({ dataDir: ".data/e2e-lab-viewports", warRoomMetricsUrl: `${E2E_BASE}/metrics`, handleSignals: false, rate: 30, durationS: 300 });
    const created = await request.post("/api/v1/cutovers", { headers: asAdmin, data: { name: `Wall and phone ${Date.now()}`, systemFrom: "old", systemTo: "new", tZero: new Date(Date.now() + 3600_000).toISOString() } });
    cutoverId = (await created.json()).cutoverId;
    await cmd(request, "member.add", { cutoverId, email: DEMO.observer, role: "OBSERVER" });
    await cmd(request, "traffic.steps", { cutoverId, steps: [0, 25, 100] });
    const names = addLabIntegrations(lab, "viewports");
    await pickRouter(request, cutoverId, names.router);
    await cmd(request, "metrics.settings", { cutoverId, prometheusSource: names.prometheus, pollIntervalMs: 1000 });
    // Something for the wall's phase and decision cards to show.
    const { phaseId } = await cmd(request, "phase.add", { cutoverId, name: "Canary" });
    const { sectionId } = await cmd(request, "section.add", { cutoverId, phaseId, name: "Checks" });
    await cmd(request, "item.add", { cutoverId, sectionId, title: "Caches warmed", ownerRole: "DEPLOYMENT_LEAD" });
    await cmd(request, "decision.create", { cutoverId, phaseId, title: "Go to 100 %", requiredRoles: ["QA_LEAD", "DEPLOYMENT_LEAD"], targetPercent: 100 });
    await cmd(request, "cutover.start", { cutoverId });
    const shifted = await request.post(`/api/v1/cutovers/${cutoverId}/traffic/shift`, { headers: asAdmin, data: {} });
    expect(shifted.status(), await shifted.text()).toBe(200);
  });

  test.afterAll(async () => {
    await lab?.stop();
  });

  test("large numbers on one line, ≥ 7:1 against their background; short states; no serious or critical axe finding", async ({ page }) => {
    await signIn(page, DEMO.observer);
    await page.goto(`/cutovers/${cutoverId}?wall=1`);
    const wall = page.getByTestId("wall");
    await expect(wall).toBeVisible();
    await expect(wall.getByTestId("wall-split")).toHaveAttribute("data-percent", "25");
    // Live values from the lab's Prometheus.
    await expect(wall.getByTestId("wall-value").first()).toBeVisible({ timeout: 30_000 });
    await expectNoSidewaysScroll(page, "the wall on a TV");
    await expect(wall.getByTestId("wall-phase-name")).toContainText("Canary");
    await expect(wall.getByTestId("wall-vote")).toHaveCount(2);
    await expect(wall.getByTestId("wall-gate").first()).toHaveAttribute("data-passed", /^(true|false)$/);

    const numbers = wall.locator("[data-wall-number]");
    expect(await numbers.count()).toBeGreaterThanOrEqual(4);
    for (const n of await numbers.all()) {
      const { height, lineHeight, whiteSpace } = await n.evaluate((el) => {
        const s = getComputedStyle(el);
        return { height: el.getBoundingClientRect().height, lineHeight: parseFloat(s.lineHeight) || parseFloat(s.fontSize) * 1.2, whiteSpace: s.whiteSpace };
      });
      expect(height, `"${await n.textContent()}" wraps`).toBeLessThanOrEqual(lineHeight * 1.2);
      expect(whiteSpace).toBe("nowrap");
    }
    for (const c of await colours(page, "[data-testid=wall] [data-wall-number]")) {
      expect(contrastRatio(c.fg, c.bg), `"${c.text}" ${c.fg} on ${c.bg}`).toBeGreaterThanOrEqual(7);
    }
    // Badges hold one short word on one line.
    for (const b of await wall.getByTestId("wall-state").all()) {
      expect((await b.textContent())!.length).toBeLessThanOrEqual(13);
      const { height, fontSize } = await b.evaluate((el) => ({ height: el.getBoundingClientRect().height, fontSize: parseFloat(getComputedStyle(el).fontSize) }));
      expect(height).toBeLessThan(fontSize * 2.2);
    }

    const results = await new AxeBuilder({ page }).include("[data-testid=wall]").withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
    const bad = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
    expect(bad.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")}`)).toEqual([]);
  });

  test.describe("phone: the rollback bar", () => {
    test.use({ viewport: PHONE, isMobile: true, hasTouch: true });

    test("the Deployment Lead rolls back from the phone's bottom bar, through the same confirmation", async ({ page, request }) => {
      await signIn(page, DEMO.lead);
      await page.goto(`/cutovers/${cutoverId}`);
      await expect(page.getByTestId("live-indicator")).toHaveAttribute("data-status", "live");
      // Scrolled down to the plan's end, the lever is still on screen, at the bottom.
      await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
      const button = page.getByTestId("rollback-button");
      await expect(button).toBeInViewport({ ratio: 1 });
      const box = (await button.boundingBox())!;
      expect(box.y + box.height).toBeGreaterThan(PHONE.height - 80);
      await button.tap();
      const dialog = page.getByRole("dialog");
      await expect(dialog).toContainText("Send 100 % of traffic to old");
      await expect(dialog.getByRole("button", { name: "Cancel" })).toBeFocused();
      await dialog.getByRole("button", { name: "Confirm rollback" }).tap();
      const progress = page.getByTestId("rollback-progress");
      await expect(progress).toHaveAttribute("data-phase", /completed/, { timeout: 30_000 });
      await expect(progress).toBeInViewport();
      const state = await (await request.get(`/api/v1/cutovers/${cutoverId}`, { headers: asAdmin })).json();
      expect(state.trafficPercent).toBe(0);
    });

    test("an Observer has no rollback bar", async ({ page }) => {
      await signIn(page, DEMO.observer);
      await page.goto(`/cutovers/${cutoverId}`);
      await expect(page.getByTestId("cutover-name")).toBeVisible();
      await expect(page.getByTestId("rollback-button")).toHaveCount(0);
      await expect(page.getByTestId("rollback-bar")).toBeHidden();
    });
  });
});
