// Email through SMTP (nodemailer). The SMTP host goes through the same address policy as every
// outbound request BEFORE anything connects: it is resolved and checked here
// (assertAllowedTcpTarget) and nodemailer connects to that checked address, with the name kept
// for TLS (servername), so a name that resolves elsewhere at connect time cannot be reached.
// Every phase is bounded (connect, greeting, each command), and the whole exchange too.
import { isIP } from "node:net";
import nodemailer from "nodemailer";
import type { OutgoingMessage } from "@/lib/domain/notify/message";
import { assertAllowedTcpTarget, OutboundError } from "@/lib/net/outbound";
import type { EmailChannelConfig } from "./config";
import { DeliveryError, fromOutboundError } from "./delivery-error";
import { plainText } from "./plain-text";

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

const escapeHtml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");

/** Subject, text part and a plain HTML part (everything escaped: a message is text, never markup). */
export function renderEmail(message: OutgoingMessage): RenderedEmail {
  const prefix = message.severity === "critical" ? "[CRITICAL] " : message.severity === "warning" ? "[WARNING] " : "";
  // A subject is one line: a line break in it would start a header of its own.
  const subject = `${prefix}${message.title}`.replace(/[\r\n]+/g, " ").trim();
  const text = plainText(message, { title: false });
  const paragraphs = message.text
    .split(/\n{2,}/)
    .filter((p) => p.trim())
    .map((p) => `<p>${escapeHtml(p).replace(/\n/g, "<br>")}</p>`);
  const fields = message.fields?.length ? `<table>${message.fields.map((f) => `<tr><th align="left">${escapeHtml(f.label)}</th><td>${escapeHtml(f.value)}</td></tr>`).join("")}</table>` : "";
  const links = message.links?.length ? `<p>${message.links.map((l) => `<a href="${escapeHtml(l.url)}">${escapeHtml(l.label)}</a>`).join(" · ")}</p>` : "";
  const html = `<!doctype html><html><body><h1>${escapeHtml(subject)}</h1>${paragraphs.join("")}${fields}${links}</body></html>`;
  return { subject, text, html };
}

interface SmtpFailure {
  code?: string;
  responseCode?: number;
}

function smtpError(err: unknown, where: string, timeoutMs: number): DeliveryError {
  if (err instanceof OutboundError) return fromOutboundError(err);
  const e = (err ?? {}) as SmtpFailure;
  // Only codes and numbers are kept: nodemailer's messages quote what the server answered.
  if (e.code === "EAUTH") return new DeliveryError(`the SMTP server ${where} refused the user name or password`, true);
  if (typeof e.responseCode === "number") return new DeliveryError(`the SMTP server ${where} answered ${e.responseCode}`, e.responseCode >= 500);
  if (e.code === "ETIMEDOUT") return new DeliveryError(`the SMTP server ${where} did not answer within ${timeoutMs} ms`, false);
  if (e.code === "ECONNECTION" || e.code === "ESOCKET") return new DeliveryError(`could not connect to the SMTP server ${where}`, false);
  if (e.code === "ETLS") return new DeliveryError(`TLS with the SMTP server ${where} failed`, false);
  if (e.code === "EENVELOPE") return new DeliveryError(`the SMTP server ${where} refused the sender or the recipients`, true);
  return new DeliveryError(`sending through the SMTP server ${where} failed${e.code && /^[A-Z0-9_]{2,20}$/.test(e.code) ? ` (${e.code})` : ""}`, false);
}

export async function sendEmail(config: EmailChannelConfig, message: OutgoingMessage, recipient: string | null): Promise<void> {
  const where = `${config.host}:${config.port}`;
  const timeoutMs = config.timeoutMs;
  const deadline = AbortSignal.timeout(timeoutMs * 2);
  let transport: ReturnType<typeof nodemailer.createTransport> | null = null;
  try {
    const target = await assertAllowedTcpTarget(config.host, config.port, deadline);
    transport = nodemailer.createTransport({
      host: target.address,
      port: config.port,
      secure: config.security === "tls",
      requireTLS: config.security === "starttls",
      ignoreTLS: config.security === "none",
      auth: config.username && config.password ? { user: config.username, pass: config.password } : undefined,
      // The certificate is checked against the name the administrator typed, not the address.
      tls: isIP(config.host) ? {} : { servername: config.host },
      connectionTimeout: timeoutMs,
      greetingTimeout: timeoutMs,
      socketTimeout: timeoutMs,
      dnsTimeout: timeoutMs,
    });
    const mail = renderEmail(message);
    const sending = transport.sendMail({ from: config.from, to: recipient ?? config.to, subject: mail.subject, text: mail.text, html: mail.html });
    // Each phase is bounded above; this bounds their sum, so a server that answers every command
    // just in time still costs one attempt of bounded length.
    await new Promise<void>((resolve, reject) => {
      const onTimeout = () => reject(Object.assign(new Error("timeout"), { code: "ETIMEDOUT" }));
      deadline.addEventListener("abort", onTimeout, { once: true });
      sending.then(
        () => {
          deadline.removeEventListener("abort", onTimeout);
          resolve();
        },
        (err: unknown) => {
          deadline.removeEventListener("abort", onTimeout);
          reject(err instanceof Error ? err : new Error(String(err)));
        },
      );
    });
  } catch (err) {
    if (err instanceof DeliveryError) throw err;
    throw smtpError(err, where, timeoutMs);
  } finally {
    transport?.close();
  }
}
