// How much JavaScript the room page makes a browser download: the production build (as `npm start`
// runs it), the demo lead signed in, the demo cutover opened in Chromium on its default tab. Every
// script response is counted by the gzip size of its body (gzip -9 of what the browser received,
// the same whatever the server's own compression does), so builds compare with each other.
// Also printed: what opening every tab adds (code loaded on demand).
// Usage: npx tsx bench/room-weight.ts   (builds first when there is no build: `npm run build`)
import { gzipSync } from "node:zlib";
import { chromium, type Page, type Response } from "@playwright/test";
import { machine, sessionCookie, startApp } from "./support/app";

const TABS = ["Plan", "Metrics", "Traffic", "Timeline", "Decisions", "Contacts", "Risks", "Audit"];

const app = await startApp({ dataDir: ".data/bench-weight" });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
});
try {
  const cookie = (await sessionCookie(app.url, "lead@demo.warroom")).split("=");
  const context = await browser.newContext({ baseURL: app.url });
  await context.addCookies([{ name: cookie[0]!, value: cookie.slice(1).join("="), url: app.url }]);
  const page = await context.newPage();

  const scripts = new Map<string, number>();
  const pending: Promise<void>[] = [];
  page.on("response", (res: Response) => {
    if (res.request().resourceType() !== "script") return;
    pending.push(
      res
        .body()
        .then((body) => void scripts.set(res.url(), gzipSync(body, { level: 9 }).length))
        .catch(() => undefined),
    );
  });
  const settle = async (p: Page) => {
    await p.waitForLoadState("networkidle");
    await Promise.all(pending);
  };
  const total = () => [...scripts.values()].reduce((a, b) => a + b, 0);

  await page.goto("/cutovers");
  await page.getByRole("link", { name: /demo/i }).first().click();
  await page.getByTestId("cutover-name").waitFor();
  await settle(page);
  // The cutover list's scripts were loaded before the room: count what the room page needs as a
  // fresh load of its URL, in a new context with an empty cache.
  const roomUrl = page.url();
  await context.close();

  const fresh = await browser.newContext({ baseURL: app.url });
  await fresh.addCookies([{ name: cookie[0]!, value: cookie.slice(1).join("="), url: app.url }]);
  const room = await fresh.newPage();
  scripts.clear();
  pending.length = 0;
  room.on("response", (res: Response) => {
    if (res.request().resourceType() !== "script") return;
    pending.push(
      res
        .body()
        .then((body) => void scripts.set(res.url(), gzipSync(body, { level: 9 }).length))
        .catch(() => undefined),
    );
  });
  await room.goto(roomUrl);
  await room.getByTestId("cutover-name").waitFor();
  await settle(room);
  const initial = total();
  const initialCount = scripts.size;
  for (const tab of TABS) {
    const t = room.getByRole("tab", { name: tab, exact: true });
    if ((await t.count()) === 0) continue;
    await t.click();
    await settle(room);
  }
  const all = total();

  const kb = (n: number) => (n / 1024).toFixed(1);
  console.log(`machine: ${machine()}, ${new Date().toISOString().slice(0, 10)}`);
  console.log(`room page, first load: ${kb(initial)} kB gzip JavaScript in ${initialCount} scripts`);
  console.log(`after opening every tab: ${kb(all)} kB gzip in ${scripts.size} scripts`);
  const largest = [...scripts.entries()].sort((a, b) => b[1] - a[1]).slice(0, 8);
  for (const [url, size] of largest) console.log(`  ${kb(size).padStart(7)} kB  ${new URL(url).pathname}`);
} finally {
  await browser.close();
  await app.stop();
}
