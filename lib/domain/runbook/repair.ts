// Text as teams paste it, made readable before the markdown parser sees it. Line numbers never
// change: the import screen points at lines of the document the user pasted.

// Windows-1252 bytes 0x80–0x9F → the characters a UTF-8 text shows when read as cp1252. The five
// undefined bytes map to their C1 control characters, as browsers and editors do.
const CP1252_HIGH = "€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008DŽ\u008F\u0090‘’“”•–—˜™š›œ\u009DžŸ";

/** The byte a character stands for when UTF-8 text was decoded as Windows-1252, or -1. */
function cp1252Byte(c: string): number {
  const code = c.charCodeAt(0);
  if (code >= 0xa0 && code <= 0xff) return code;
  const i = CP1252_HIGH.indexOf(c);
  return i >= 0 ? 0x80 + i : -1;
}

const decoder = new TextDecoder("utf-8", { fatal: true });

/**
 * Repairs UTF-8 text that was decoded as Windows-1252 somewhere on its way ("â†’" → "→",
 * "âœ…" → "✅", "â‰¤" → "≤", "Ã©" → "é"). Only a lead character followed by the right number of
 * continuation characters that together decode as valid UTF-8 is replaced, so correct text with
 * an "Ã" or "â" in it is left alone. Linear: each character is looked at a bounded number of times.
 */
export function repairMojibake(text: string): { text: string; repaired: number } {
  let out = "";
  let copied = 0;
  let repaired = 0;
  for (let i = 0; i < text.length; i++) {
    const lead = text.charCodeAt(i);
    const need = lead >= 0xc2 && lead <= 0xdf ? 1 : lead >= 0xe0 && lead <= 0xef ? 2 : lead >= 0xf0 && lead <= 0xf4 ? 3 : 0;
    if (need === 0) continue;
    const bytes = [lead];
    for (let k = 1; k <= need; k++) {
      const b = i + k < text.length ? cp1252Byte(text[i + k]!) : -1;
      if (b < 0x80 || b > 0xbf) break;
      bytes.push(b);
    }
    if (bytes.length !== need + 1) continue;
    let decoded: string;
    try {
      decoded = decoder.decode(new Uint8Array(bytes));
    } catch {
      continue;
    }
    out += text.slice(copied, i) + decoded;
    copied = i + need + 1;
    i += need;
    repaired++;
  }
  return repaired === 0 ? { text, repaired } : { text: out + text.slice(copied), repaired };
}

/**
 * CRLF and lone CR become LF; a byte-order mark goes; YAML front matter ("---" … "---" at the
 * top) is blanked line for line and its `title:` returned, so a runbook without an h1 keeps a name.
 */
export function normaliseRunbook(raw: string): { text: string; frontMatterTitle: string | null; repaired: number } {
  let text = raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
  if (text.includes("\r")) text = text.replace(/\r\n?/g, "\n");
  let frontMatterTitle: string | null = null;
  if (text.startsWith("---\n")) {
    const end = text.indexOf("\n---", 3);
    const close = end === -1 ? -1 : end + 4;
    if (close !== -1 && (text[close] === "\n" || close === text.length) && end < 20_000) {
      const block = text.slice(4, end);
      const title = /^title:[ \t]*(.+)$/m.exec(block);
      if (title) frontMatterTitle = title[1]!.trim().replace(/^["']|["']$/g, "") || null;
      const lines = text.slice(0, close).split("\n").length;
      text = "\n".repeat(lines - 1) + text.slice(close);
    }
  }
  const { text: repairedText, repaired } = repairMojibake(text);
  return { text: repairedText, frontMatterTitle, repaired };
}
