import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  buildStatusDocument,
  currentPhaseName,
  escapeMarkup,
  isValidSlug,
  nextClockChange,
  publicFigures,
  publicProgress,
  renderStatusAtom,
  renderStatusHtml,
  renderStatusJson,
  slugProblem,
  suggestSlug,
  type StatusSource,
} from "./status-page";

const NOW = new Date("2026-11-29T12:00:00Z");
const min = (n: number) => new Date(NOW.getTime() + n * 60_000);

function source(over: Partial<StatusSource> = {}): StatusSource {
  return {
    title: "Payments maintenance",
    state: "in_progress",
    rehearsal: false,
    createdAt: new Date("2026-11-01T00:00:00Z"),
    latestRollback: null,
    phases: [
      { name: "Preparation", openItems: 0 },
      { name: "Canary 10 %", openItems: 2 },
      { name: "Full 100 %", openItems: 3 },
    ],
    updates: [
      { id: "00000000-0000-4000-8000-000000000001", body: "Started", health: "maintenance", figures: [], nextUpdateAt: min(-30), publishedAt: min(-60), retractedAt: null },
      { id: "00000000-0000-4000-8000-000000000002", body: "Canary looks good", health: "operational", figures: [{ label: "Error rate", value: "0.2 %" }], nextUpdateAt: min(30), publishedAt: min(-5), retractedAt: null },
    ],
    ...over,
  };
}

describe("slugs", () => {
  it("accepts lowercase letters, digits and inner hyphens, 3-60 characters", () => {
    for (const ok of ["abc", "payments-2026", "a-b", "x".repeat(60), "0ab"]) expect(slugProblem(ok), ok).toBeNull();
    for (const bad of ["ab", "x".repeat(61), "-abc", "abc-", "ABC", "ab c", "ab/c", "ab.c", "ab_c", "äbc", "", "a%2fb"]) expect(slugProblem(bad), bad).not.toBeNull();
  });

  it("suggests a valid slug from any name", () => {
    expect(suggestSlug("Payments DB → Aurora")).toBe("payments-db-aurora");
    expect(suggestSlug("Café Crème")).toBe("cafe-creme");
    expect(suggestSlug("X")).toBe("status-x");
    expect(suggestSlug("!!!")).toBe("status-page");
    fc.assert(fc.property(fc.string({ maxLength: 200 }), (name) => isValidSlug(suggestSlug(name))));
  });
});

describe("what is happening, from the cutover's state and its rollbacks", () => {
  it("maps every state", () => {
    expect(publicProgress("draft", null)).toBe("planned");
    expect(publicProgress("scheduled", null)).toBe("planned");
    expect(publicProgress("in_progress", null)).toBe("in_progress");
    expect(publicProgress("completed", null)).toBe("completed");
    expect(publicProgress("rolled_back", null)).toBe("rolled_back");
    expect(publicProgress("aborted", null)).toBe("aborted");
  });

  it("a running or finished rollback is already a rollback for readers; a failed one is not", () => {
    expect(publicProgress("in_progress", { state: "running" })).toBe("rolled_back");
    expect(publicProgress("in_progress", { state: "completed_with_errors" })).toBe("rolled_back");
    expect(publicProgress("in_progress", { state: "failed" })).toBe("in_progress");
    expect(publicProgress("in_progress", { state: "abandoned" })).toBe("in_progress");
  });

  it("the current phase is the first with open items while in progress, else none", () => {
    const phases = source().phases;
    expect(currentPhaseName("in_progress", phases)).toBe("Canary 10 %");
    expect(currentPhaseName("in_progress", phases.map((p) => ({ ...p, openItems: 0 })))).toBe("Full 100 %");
    expect(currentPhaseName("planned", phases)).toBeNull();
    expect(currentPhaseName("completed", phases)).toBeNull();
    expect(currentPhaseName("in_progress", [])).toBeNull();
  });
});

describe("the public document", () => {
  it("shows the last published health, updates newest first, and when the next is due", () => {
    const doc = buildStatusDocument(source(), NOW);
    expect(doc.health).toBe("operational");
    expect(doc.healthLabel).toBe("Operational");
    expect(doc.updates.map((u) => u.body)).toEqual(["Canary looks good", "Started"]);
    expect(doc.nextUpdateAt).toBe(min(30).toISOString());
    expect(doc.nextUpdateOverdue).toBe(false);
    expect(doc.phase).toBe("Canary 10 %");
    expect(doc.progressLabel).toBe("In progress");
  });

  it("an update due in the past is overdue; the clock change is when it goes overdue", () => {
    const doc = buildStatusDocument(source(), min(31));
    expect(doc.nextUpdateOverdue).toBe(true);
    expect(nextClockChange(doc, min(31))).toBeNull();
    expect(nextClockChange(buildStatusDocument(source(), NOW), NOW)).toEqual(min(30));
  });

  it("retracted updates leave the page, and the health falls back to the one before", () => {
    const s = source();
    const doc = buildStatusDocument({ ...s, updates: s.updates.map((u, i) => (i === 1 ? { ...u, retractedAt: NOW } : u)) }, NOW);
    expect(doc.updates.map((u) => u.body)).toEqual(["Started"]);
    expect(doc.health).toBe("maintenance");
  });

  it("says nothing was published before anything was, and promises nothing once the cutover has ended", () => {
    const empty = buildStatusDocument(source({ updates: [] }), NOW);
    expect(empty.health).toBeNull();
    expect(empty.healthLabel).toBe("No status published yet");
    expect(empty.nextUpdateAt).toBeNull();
    const ended = buildStatusDocument(source({ state: "completed" }), NOW);
    expect(ended.nextUpdateAt).toBeNull();
    expect(ended.phase).toBeNull();
  });

  it("is a whitelist: fields the source carries beyond what it names never reach any rendering", () => {
    const s = source();
    const leaky = {
      ...s,
      members: [{ name: "Alice Secret", phone: "+1 555 0100", email: "alice@corp.internal" }],
      links: [{ url: "https://grafana.corp.internal/d/x" }],
      updates: s.updates.map((u) => ({ ...u, publishedByName: "Bob Hidden", figures: [{ label: "Errors", value: "1 %", query: 'sum(rate(http_errors{host="db1.corp.internal"}[5m]))' }] })),
    } as StatusSource;
    const doc = buildStatusDocument(leaky, NOW);
    const all = [renderStatusJson(doc), renderStatusHtml(doc, { slug: "pay", script: "/status-page.js" }), renderStatusAtom(doc, { slug: "pay", baseUrl: "https://status.example.com" })].join("\n");
    for (const secret of ["Alice Secret", "+1 555 0100", "alice@corp.internal", "grafana.corp.internal", "Bob Hidden", "http_errors", "db1.corp.internal"]) expect(all).not.toContain(secret);
    expect(all).toContain("1 %");
  });

  it("a rehearsal says so on the page and in the feed's title", () => {
    const doc = buildStatusDocument(source({ rehearsal: true }), NOW);
    expect(renderStatusHtml(doc, { slug: "pay", script: "/s.js" })).toContain("Rehearsal: a practice run");
    expect(renderStatusAtom(doc, { slug: "pay", baseUrl: "http://x" })).toContain("<title>Payments maintenance (rehearsal)</title>");
    expect(renderStatusHtml(buildStatusDocument(source(), NOW), { slug: "pay", script: "/s.js" })).not.toContain("Rehearsal");
  });

  it("figures are re-checked field by field and capped", () => {
    expect(publicFigures("nope")).toEqual([]);
    expect(publicFigures([{ label: "a", value: 1 }, null, { label: "b", value: "2" }])).toEqual([{ label: "b", value: "2" }]);
    expect(publicFigures(Array.from({ length: 9 }, (_, i) => ({ label: `l${i}`, value: "v" })))).toHaveLength(5);
  });
});

describe("renderings", () => {
  const hostile = `<script>alert("x")</script> & 'quotes' ]]> \u0001`;
  const doc = buildStatusDocument(source({ title: hostile, updates: [{ id: "00000000-0000-4000-8000-000000000003", body: hostile, health: "degraded", figures: [{ label: hostile, value: "<b>" }], nextUpdateAt: null, publishedAt: NOW, retractedAt: null }] }), NOW);

  it("escapes everything written by people in HTML", () => {
    const html = renderStatusHtml(doc, { slug: "pay", script: "/status-page.js" });
    expect(html).not.toContain("<script>alert");
    expect(html).not.toContain("<b>");
    expect(html).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;quotes&#39;");
    // The one script is the static file; no inline script anywhere.
    expect(html.match(/<script/g)).toHaveLength(1);
    expect(html).toContain('<script src="/status-page.js" defer></script>');
  });

  it("Atom is well-formed XML with everything escaped, and control characters dropped", () => {
    const atom = renderStatusAtom(doc, { slug: "pay", baseUrl: "https://status.example.com/" });
    expect(atom.startsWith('<?xml version="1.0" encoding="utf-8"?>')).toBe(true);
    expect(atom).toContain('<feed xmlns="http://www.w3.org/2005/Atom">');
    expect(atom).toContain("<id>https://status.example.com/status/pay</id>");
    expect(atom).toContain('href="https://status.example.com/status/pay/feed.atom"');
    expect(atom).not.toContain("<script>");
    expect(atom).not.toContain("\u0001");
    expect(atom).toContain("]]&gt;");
    expect(atom.match(/<entry>/g)).toHaveLength(1);
    // Balanced tags: every element opened is closed (a small well-formedness check without a parser).
    const stack: string[] = [];
    for (const m of atom.replace(/<\?xml[^>]*\?>/, "").matchAll(/<(\/?)([a-z]+)[^>]*?(\/?)>/g)) {
      if (m[3]) continue;
      if (m[1]) expect(stack.pop()).toBe(m[2]);
      else stack.push(m[2]!);
    }
    expect(stack).toEqual([]);
  });

  it("JSON is the document itself", () => {
    expect(JSON.parse(renderStatusJson(doc))).toEqual(doc);
  });

  it("escapeMarkup leaves no markup character and no lone surrogate", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 100 }), (s) => {
        const out = escapeMarkup(s);
        expect(out).not.toMatch(/[<>"']/);
        expect(out).not.toMatch(/&(?!(amp|lt|gt|quot|#39);)/);
        expect(out).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
      }),
    );
  });
});
