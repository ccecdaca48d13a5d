// How a message looks on each channel: Slack blocks (with the plain-text fallback and Slack's
// control characters escaped) and an email's subject, text and HTML parts (markup escaped).
import { describe, expect, it } from "vitest";
import type { OutgoingMessage } from "@/lib/domain/notify/message";
import { renderEmail } from "./email";
import { plainText } from "./plain-text";
import { escapeMrkdwn, slackPayload } from "./slack";
import { webhookDocument } from "./webhook";
import { SAMPLE_MESSAGE } from "@/lib/testing/notify-receivers";

const message = SAMPLE_MESSAGE;

describe("Slack blocks", () => {
  it("renders header, text, fields and link buttons, with a plain-text fallback", () => {
    const p = slackPayload(message);
    expect(p.text).toBe(
      "Go-live: orders moved to the new system\n\nAll traffic is on the new system.\n\nNext update at 11:00 <UTC> & later.\n\nTraffic split: old 0 % · new 100 %\np95 latency: 182 ms\n\nOpen the room: https://warroom.example.com/cutovers/abc",
    );
    expect(p.blocks).toEqual([
      { type: "header", text: { type: "plain_text", text: "Go-live: orders moved to the new system", emoji: false } },
      { type: "section", text: { type: "mrkdwn", text: "All traffic is on the new system.\n\nNext update at 11:00 &lt;UTC&gt; &amp; later." } },
      {
        type: "section",
        fields: [
          { type: "mrkdwn", text: "*Traffic split*\nold 0 % · new 100 %" },
          { type: "mrkdwn", text: "*p95 latency*\n182 ms" },
        ],
      },
      { type: "actions", elements: [{ type: "button", action_id: "link-0", text: { type: "plain_text", text: "Open the room", emoji: false }, url: "https://warroom.example.com/cutovers/abc" }] },
    ]);
  });

  it("names the severity in the header, and keeps within Block Kit's limits", () => {
    const long: OutgoingMessage = { title: "T".repeat(200), text: "x".repeat(7000), fields: Array.from({ length: 12 }, (_, i) => ({ label: `f${i}`, value: "v" })), severity: "critical" };
    const p = slackPayload(long);
    const blocks = p.blocks as { type: string; text?: { text: string }; fields?: unknown[] }[];
    expect(blocks[0]!.text!.text.startsWith("Critical: TTT")).toBe(true);
    expect(blocks[0]!.text!.text.length).toBe(150);
    const sections = blocks.filter((b) => b.type === "section" && b.text);
    expect(sections.map((b) => b.text!.text.length)).toEqual([3000, 3000, 1000]);
    expect(blocks.filter((b) => b.fields).map((b) => b.fields!.length)).toEqual([10, 2]);
    expect(blocks.some((b) => b.type === "actions")).toBe(false);
  });

  it("escapes Slack's control characters so a message cannot ping or link by itself", () => {
    expect(escapeMrkdwn("<!channel> <https://evil.example|click> a&b")).toBe("&lt;!channel&gt; &lt;https://evil.example|click&gt; a&amp;b");
  });
});

describe("email", () => {
  it("has the title as its subject, prefixed by a severity that is not info", () => {
    expect(renderEmail(message).subject).toBe("Go-live: orders moved to the new system");
    expect(renderEmail({ ...message, severity: "critical" }).subject).toBe("[CRITICAL] Go-live: orders moved to the new system");
    expect(renderEmail({ ...message, severity: "warning" }).subject).toBe("[WARNING] Go-live: orders moved to the new system");
  });

  it("keeps a subject on one line", () => {
    expect(renderEmail({ ...message, title: "Rollback\r\nBcc: everyone@example.com" }).subject).toBe("Rollback Bcc: everyone@example.com");
  });

  it("has a text part (body, fields, links) and an HTML part with everything escaped", () => {
    const e = renderEmail(message);
    expect(e.text).toBe(plainText(message, { title: false }));
    expect(e.text).toContain("Traffic split: old 0 % · new 100 %");
    expect(e.text).not.toContain("Go-live: orders moved");
    expect(e.html).toContain("<p>Next update at 11:00 &lt;UTC&gt; &amp; later.</p>");
    expect(e.html).toContain('<a href="https://warroom.example.com/cutovers/abc">Open the room</a>');
    const hostile = renderEmail({ title: "<script>alert(1)</script>", text: '<img src=x onerror="alert(1)">' });
    expect(hostile.html).not.toMatch(/<script|<img/);
  });
});

describe("JSON webhook document", () => {
  it("carries the message, the delivery id and the recipient", () => {
    const at = new Date("2030-01-01T10:00:00Z");
    expect(webhookDocument(message, { deliveryId: "d-1", recipient: null }, at)).toEqual({ type: "warroom.message", deliveryId: "d-1", recipient: null, sentAt: "2030-01-01T10:00:00.000Z", message });
  });
});
