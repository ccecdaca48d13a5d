// The README's pictures, taken from the running demo so they stay true: the room on a laptop
// (1440×900) and on a phone (390×844, with the rollback bar) as the Deployment Lead, the wall on a
// TV (1920×1080) as an Observer, into public/screenshots/. Starts the production build with the lab (WARROOM_LAB=1,
// as `npm start` would, on a data directory of its own) unless --url names a running demo
// (localhost only). Usage: npx tsx scripts/screenshots.ts [--url http://127.0.0.1:3000]
import { mkdirSync, statSync } from "node:fs";
import { chromium, type Browser } from "@playwright/test";
import { sessionCookie, startApp, type BenchApp } from "../bench/support/app";
import { LAB_NODE_ARGS } from "./lab/war-room";

export const SCREENSHOTS = [
  { file: "public/screenshots/room.png", who: "lead@demo.warroom", width: 1440, height: 900, wall: false, mobile: false },
  { file: "public/screenshots/wall.png", who: "observer@demo.warroom", width: 1920, height: 1080, wall: true, mobile: false },
  { file: "public/screenshots/phone.png", who: "lead@demo.warroom", width: 390, height: 844, wall: false, mobile: true },
] as const;

async function shoot(browser: Browser, base: string, shot: (typeof SCREENSHOTS)[number]): Promise<void> {
  const [name, ...rest] = (await sessionCookie(base, shot.who)).split("=");
  const context = await browser.newContext({ baseURL: base, viewport: { width: shot.width, height: shot.height }, isMobile: shot.mobile, hasTouch: shot.mobile, deviceScaleFactor: 1, colorScheme: "light" });
  try {
    await context.addCookies([{ name: name!, value: rest.join("="), url: base }]);
    const page = await context.newPage();
    await page.goto("/cutovers");
    await page.getByRole("link", { name: /demo/i }).first().click();
    await page.getByTestId("live-indicator").and(page.locator('[data-status="live"]')).waitFor();
    if (shot.wall) {
      await page.goto(`${page.url().split("?")[0]}?wall=1`);
      // Live numbers, not a page still loading.
      await page.getByTestId("wall-value").first().waitFor({ timeout: 60_000 });
    }
    await page.waitForLoadState("networkidle");
    await page.screenshot({ path: shot.file, animations: "disabled" });
    console.log(`${shot.file}: ${Math.round(statSync(shot.file).size / 1024)} KB`);
  } finally {
    await context.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const urlArg = process.argv.includes("--url") ? process.argv[process.argv.indexOf("--url") + 1] : undefined;
  if (urlArg && !["127.0.0.1", "localhost", "[::1]"].includes(new URL(urlArg).hostname)) throw new Error("--url: localhost only");
  const app: BenchApp | null = urlArg ? null : await startApp({ dataDir: ".data/screenshots", nodeArgs: LAB_NODE_ARGS, env: { WARROOM_LAB: "1" } });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--hide-scrollbars"],
  });
  try {
    mkdirSync("public/screenshots", { recursive: true });
    // The lab's first samples: a few seconds so the tiles show values rather than "no data yet".
    if (app) await new Promise((r) => setTimeout(r, 15_000));
    for (const shot of SCREENSHOTS) await shoot(browser, urlArg ?? app!.url, shot);
  } finally {
    await browser.close();
    await app?.stop();
  }
}
