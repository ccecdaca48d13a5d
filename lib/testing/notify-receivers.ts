// For tests only: local receivers of outgoing messages, real servers on 127.0.0.1.
//   startWebhookReceiver({ failFirst?, hang? }) → { url, received[], connections(), close() }
//     an HTTP server that records every request (path, headers, raw body, parsed JSON); it answers
//     500 to the first `failFirst` requests and 200 after, or (hang) never answers at all.
//   startSmtpReceiver() → { host, port, messages[], close() }
//     a real SMTP server (smtp-server, no TLS, no authentication) that records each message with
//     its envelope, subject and text/HTML parts decoded.
//   SAMPLE_MESSAGE: a message with every part (text, fields, links, severity) to send through them.
import http from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { SMTPServer } from "smtp-server";
import type { OutgoingMessage } from "@/lib/domain/notify/message";

export const SAMPLE_MESSAGE: OutgoingMessage = {
  title: "Go-live: orders moved to the new system",
  text: "All traffic is on the new system.\n\nNext update at 11:00 <UTC> & later.",
  fields: [
    { label: "Traffic split", value: "old 0 % · new 100 %" },
    { label: "p95 latency", value: "182 ms" },
  ],
  links: [{ label: "Open the room", url: "https://warroom.example.com/cutovers/abc" }],
  severity: "info",
};

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** The body parsed as JSON, or null. */
  json: unknown;
}

export interface WebhookReceiver {
  url: string;
  received: ReceivedRequest[];
  /** TCP connections accepted so far (a refused target must show 0). */
  connections(): number;
  close(): Promise<void>;
}

export async function startWebhookReceiver(opts: { failFirst?: number; hang?: boolean } = {}): Promise<WebhookReceiver> {
  const received: ReceivedRequest[] = [];
  const sockets = new Set<Socket>();
  let connections = 0;
  let failures = opts.failFirst ?? 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      let json: unknown = null;
      try {
        json = JSON.parse(body);
      } catch {
        // not JSON: kept as text
      }
      received.push({ method: req.method ?? "", path: req.url ?? "", headers: req.headers, body, json });
      if (opts.hang) return; // the socket stays open until the sender gives up or close()
      if (failures > 0) {
        failures--;
        res.statusCode = 500;
        return res.end("internal error: secret stack trace");
      }
      res.setHeader("content-type", "application/json");
      res.end('{"ok":true}');
    });
  });
  server.on("connection", (s: Socket) => {
    connections++;
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    connections: () => connections,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

export interface ReceivedEmail {
  from: string;
  to: string[];
  subject: string;
  text: string;
  html: string;
  raw: string;
}

export interface SmtpReceiver {
  host: string;
  port: number;
  messages: ReceivedEmail[];
  close(): Promise<void>;
}

function decodeQuotedPrintable(s: string): string {
  const bytes: number[] = [];
  const soft = s.replace(/=\r?\n/g, "");
  for (let i = 0; i < soft.length; i++) {
    const hex = soft.slice(i + 1, i + 3);
    if (soft[i] === "=" && /^[0-9A-F]{2}$/i.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else bytes.push(...Buffer.from(soft[i]!, "utf8"));
  }
  return Buffer.from(bytes).toString("utf8");
}

function decodeBody(body: string, encoding: string): string {
  if (/base64/i.test(encoding)) return Buffer.from(body.replace(/\s+/g, ""), "base64").toString("utf8");
  if (/quoted-printable/i.test(encoding)) return decodeQuotedPrintable(body);
  return body;
}

/** RFC 2047 encoded words (=?UTF-8?Q?…?= / =?UTF-8?B?…?=) in a header. */
function decodeWords(value: string): string {
  return value.replace(/\?=\s+=\?/g, "?==?").replace(/=\?([^?]+)\?([QB])\?([^?]*)\?=/gi, (_m, _charset: string, enc: string, text: string) =>
    enc.toUpperCase() === "B" ? Buffer.from(text, "base64").toString("utf8") : decodeQuotedPrintable(text.replace(/_/g, " ")),
  );
}

function splitPart(raw: string): { headers: Map<string, string>; body: string } {
  const at = raw.search(/\r?\n\r?\n/);
  const head = at < 0 ? raw : raw.slice(0, at);
  const body = at < 0 ? "" : raw.slice(at).replace(/^\r?\n\r?\n/, "");
  const headers = new Map<string, string>();
  for (const line of head.replace(/\r?\n[ \t]+/g, " ").split(/\r?\n/)) {
    const i = line.indexOf(":");
    if (i > 0) headers.set(line.slice(0, i).trim().toLowerCase(), line.slice(i + 1).trim());
  }
  return { headers, body };
}

/** Enough MIME for what nodemailer writes: a single part, or multipart/alternative (text + HTML). */
export function parseEmail(raw: string): { subject: string; text: string; html: string } {
  const top = splitPart(raw);
  const subject = decodeWords(top.headers.get("subject") ?? "");
  const type = top.headers.get("content-type") ?? "text/plain";
  const parts: { type: string; body: string }[] = [];
  const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
  if (boundary) {
    for (const chunk of top.body.split(`--${boundary}`).slice(1)) {
      if (chunk.startsWith("--")) break;
      const p = splitPart(chunk.replace(/^\r?\n/, ""));
      parts.push({ type: p.headers.get("content-type") ?? "text/plain", body: decodeBody(p.body, p.headers.get("content-transfer-encoding") ?? "").replace(/\r?\n$/, "") });
    }
  } else parts.push({ type, body: decodeBody(top.body, top.headers.get("content-transfer-encoding") ?? "") });
  const text = parts.find((p) => p.type.startsWith("text/plain"))?.body ?? "";
  const html = parts.find((p) => p.type.startsWith("text/html"))?.body ?? "";
  return { subject, text: text.replace(/\r\n/g, "\n"), html };
}

export async function startSmtpReceiver(): Promise<SmtpReceiver> {
  const messages: ReceivedEmail[] = [];
  const server = new SMTPServer({
    secure: false,
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        const raw = Buffer.concat(chunks).toString("utf8");
        const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : "";
        messages.push({ from, to: session.envelope.rcptTo.map((r) => r.address), ...parseEmail(raw), raw });
        callback();
      });
    },
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const address = server.server.address() as AddressInfo;
  return {
    host: "127.0.0.1",
    port: address.port,
    messages,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
