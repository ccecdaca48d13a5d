// Runbooks built to make a markdown importer slow: each shape aims at one kind of super-linear work
// (a backtracking pattern, a nested structure walked once per level, a wide table). Used by the
// importer's tests, its benchmark and the end-to-end test, so all three feed it the same documents.

/** A shape: given a size in characters, a document of about that size and never longer. */
export type HostileShape = (chars: number) => string;

function repeatTo(unit: string, chars: number): string {
  return unit.repeat(Math.max(1, Math.floor(chars / unit.length)));
}

export const HOSTILE: Record<string, HostileShape> = {
  /** The report of issue #10: a code block holding "1:00" and a long run of spaces. */
  "clock then spaces": (chars) => "```\n1:00" + " ".repeat(Math.max(0, chars - 13)) + "\n```\n",
  /** The same run of spaces after a "title -" head (the timeline's head/title split). */
  "title dash spaces": (chars) => "## Timeline\n```\nKickoff -" + " ".repeat(Math.max(0, chars - 31)) + "x\n```\n",
  /** Many long "title - " lines in a schedule block, each a near-miss of the head pattern. */
  "long title lines": (chars) => "## Schedule\n```\n" + repeatTo("06:00 AM" + " ".repeat(1_900) + "-\n", chars - 20) + "```\n",
  /** A trigger block whose lines are "Condition" and "->" followed by long runs of spaces. */
  "trigger spaces": (chars) => "## Rollback Triggers\n```\n" + repeatTo("Condition" + " ".repeat(900) + "x\n->" + " ".repeat(900) + "a\rb\n", chars - 40) + "```\n",
  /** Headings made of one long number: "(\d+)\s*hours before" tried from every digit. */
  "digit headings": (chars) => repeatTo("## " + "1".repeat(1_990) + "\n- [ ] item\n", chars),
  /** Decision points ending in a long run of dots (the trailing-punctuation trim). */
  "decision dots": (chars) => "## Canary\n- [ ] x\n" + repeatTo("**Decision point**: Proceed to 50% traffic" + ".".repeat(1_900) + "x\n\n", chars - 20),
  /** Threshold items "< " followed by spaces, under a monitoring section. */
  "threshold spaces": (chars) => "## Monitoring\n" + repeatTo("- [ ] p95 latency <" + "\u00a0".repeat(1_900) + "x\n", chars - 14),
  /** A task list nested as deep as its indentation allows, each level a task item. */
  "deep list": (chars) => {
    const out: string[] = ["## Deep"];
    let size = 0;
    for (let depth = 0; ; depth++) {
      const line = `${"  ".repeat(depth % 900)}- [ ] level ${depth}`;
      if (size + line.length + 1 > chars) break;
      out.push(line);
      size += line.length + 1;
    }
    return out.join("\n") + "\n";
  },
  /** Blockquotes nested a thousand deep, repeated. */
  "deep quotes": (chars) => repeatTo(">".repeat(1_000) + " - [ ] quoted\n\n", chars),
  /** One table, 200 columns wide, as many rows as fit. */
  "huge table": (chars) => {
    const cols = 200;
    const head = "| Risk | Probability | Impact | Mitigation |" + " c |".repeat(cols - 4);
    const sep = "|" + "---|".repeat(cols);
    const row = "|" + " r |".repeat(cols);
    return `## Risks\n${head}\n${sep}\n${repeatTo(row + "\n", chars - head.length - sep.length)}`;
  },
  /** A plain runbook repeated: many phases, sections and items (the realistic worst case). */
  "many items": (chars) => repeatTo("## Phase (2 hours before)\n### Checks\n- [ ] Database backups verified T-30m\n- [ ] Smoke tests pass\n", chars),
};

/** The document of the issue: 120 kB, a code block holding "1:00" followed by spaces. */
export function issueRunbook(): string {
  return HOSTILE["clock then spaces"](120_000);
}
