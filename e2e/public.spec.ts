// The static files of public/: served to anyone (no session), the way a browser and a wall screen
// ask for them, and every page points at them.
import { expect, test } from "@playwright/test";

test("robots.txt keeps search engines out; the manifest and icons install the wall screen; pages link them", async ({ request }) => {
  const robots = await request.get("/robots.txt", { maxRedirects: 0 });
  expect(robots.status()).toBe(200);
  expect(await robots.text()).toMatch(/User-agent: \*\s+Disallow: \//);

  const manifest = await request.get("/manifest.webmanifest", { maxRedirects: 0 });
  expect(manifest.status()).toBe(200);
  const m = (await manifest.json()) as { name: string; start_url: string; display: string; icons: { src: string; type: string }[] };
  expect(m).toMatchObject({ name: "Cutover War Room", start_url: "/cutovers", display: "fullscreen" });
  for (const icon of m.icons) {
    const res = await request.get(icon.src, { maxRedirects: 0 });
    expect(res.status(), icon.src).toBe(200);
    expect(res.headers()["content-type"], icon.src).toContain(icon.type);
  }

  const signIn = await (await request.get("/sign-in")).text();
  expect(signIn).toContain('rel="manifest" href="/manifest.webmanifest"');
  expect(signIn).toMatch(/rel="icon" href="\/favicon\.svg"/);
  expect(signIn).toMatch(/<meta name="robots" content="noindex, nofollow"/);
});
