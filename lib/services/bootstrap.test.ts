// The first administrator obeys the password policy, from /setup and from WARROOM_ADMIN_PASSWORD;
// the demo team alone keeps its published password.
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { verifyPassword } from "@/lib/auth/passwords";
import { adminExists, bootstrapUsers, createAdmin, DEMO_PASSWORD } from "./bootstrap";
import { useFreshDatabase } from "@/lib/testing/fixtures";

beforeAll(async () => {
  await useFreshDatabase();
});
afterEach(() => {
  delete process.env.WARROOM_ADMIN_EMAIL;
  delete process.env.WARROOM_ADMIN_PASSWORD;
});

describe("the first administrator", () => {
  it("is refused a common, short or email-like password, and nothing is created", async () => {
    for (const password of ["qwerty123456", "short", "root@example.com", DEMO_PASSWORD]) {
      await expect(createAdmin({ email: "root@example.com", name: "Root", password })).rejects.toMatchObject({ status: 400 });
    }
    process.env.WARROOM_ADMIN_EMAIL = "root@example.com";
    process.env.WARROOM_ADMIN_PASSWORD = "password1234";
    await expect(bootstrapUsers({ demo: false, log: () => {} })).rejects.toThrow(/WARROOM_ADMIN_PASSWORD is not accepted/);
    expect(await adminExists()).toBe(false);
  });

  it("is created from the environment with a good password, and audited without it", async () => {
    process.env.WARROOM_ADMIN_EMAIL = "root@example.com";
    process.env.WARROOM_ADMIN_PASSWORD = "a long admin passphrase";
    await bootstrapUsers({ demo: false, log: () => {} });
    const admin = await db().user.findUniqueOrThrow({ where: { email: "root@example.com" }, omit: { passwordHash: false } });
    expect(admin.isAdmin).toBe(true);
    expect(await verifyPassword(admin.passwordHash, "a long admin passphrase")).toBe(true);
    const audit = await db().auditEvent.findFirstOrThrow({ where: { action: "user.first_administrator" } });
    expect(audit.cutoverId).toBeNull();
    expect(JSON.stringify(audit.after)).not.toContain("passphrase");
  });

  it("leaves the demo team its published password", async () => {
    await bootstrapUsers({ demo: true, log: () => {} });
    const qa = await db().user.findUniqueOrThrow({ where: { email: "qa@demo.warroom" }, omit: { passwordHash: false } });
    expect(await verifyPassword(qa.passwordHash, DEMO_PASSWORD)).toBe(true);
  });
});

describe("the demo cutover's schedule", () => {
  it("is laid out around its T-0: nothing is overdue when the demo opens, and the first traffic step is at T-0", async () => {
    const createdAt = Date.now();
    await bootstrapUsers({ demo: true, log: () => {} });
    const demo = await db().cutover.findFirstOrThrow({ where: { name: { endsWith: "(demo)" } }, select: { tZero: true, timeline: { orderBy: { position: "asc" }, select: { title: true, plannedStart: true } } } });
    expect(demo.timeline.length).toBeGreaterThan(5);
    for (const step of demo.timeline) expect(step.plannedStart!.getTime(), step.title).toBeGreaterThan(createdAt);
    const firstTraffic = demo.timeline.find((s) => /traffic/i.test(s.title))!;
    expect(firstTraffic.plannedStart!.getTime()).toBe(demo.tZero.getTime());
    // The runbook's spacing is kept: Deploy (06:00) is 90 minutes before the 10 % step (07:30).
    expect(demo.tZero.getTime() - demo.timeline[0]!.plannedStart!.getTime()).toBe(90 * 60_000);
  });
});
