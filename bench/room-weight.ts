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
  const signedIn = async () => {
    const context = await browser.newContext({ baseURL: app.url });
    await context.addCookies([{ name: cookie[0]!, value: cookie.slice(1).join("="), url: app.url }]);
    return context;
  };

  // The room's address, found as a person finds it: through the cutover list.
  const first = await signedIn();
  const lister = await first.newPage();
  await lister.goto("/cutovers");
  await lister.getByRole("link", { name: /demo/i }).first().click();
  await lister.getByTestId("cutover-name").waitFor();
  const roomUrl = lister.url();
  await first.close();

  // The room opened straight from its address in a fresh context: an empty cache, so every
  // script the room needs is fetched and counted.
  const context = await signedIn();
  const room = await context.newPage();
  const scripts = new Map<string, number>();
  const pending: Promise<void>[] = [];
  room.on("response", (res: Response) => {
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

  await room.goto(roomUrl);
  await room.getByTestId("cutover-name").waitFor();
  await settle(room);
  const initial = total();
  const initialCount = scripts.size;
  for (const tab of TABS) {
    await room.getByRole("tab", { name: tab, exact: true }).click();
    await room.getByRole("tab", { name: tab, exact: true, selected: true }).waitFor();
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
