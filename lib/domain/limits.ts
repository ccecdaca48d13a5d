// How long a text and how large a number the room accepts: the command schemas (lib/schemas)
// refuse beyond these, and the room's forms stop the typing at the same place (maxLength, min,
// max), so a form never offers what the server will refuse.
export const TEXT = {
  /** Names of cutovers, people, contacts, tokens. */
  name: 200,
  /** Short labels: systems, metric names, link labels, planned times. */
  short: 100,
  /**
   * Item, risk titles: as long as a line of an imported runbook (MAX_LINE_CHARS of the import is
   * this), so an imported item keeps its whole line and a template or an edit keeps it too.
   */
  title: 2_000,
  /** Timeline steps and decisions. */
  stepTitle: 300,
  /** Notes, reasons, comments. */
  note: 2000,
  /** Descriptions, details, mitigations. */
  description: 5000,
  phone: 50,
  email: 320,
  /** A PromQL query. */
  query: 10_000,
} as const;

/** How long a trigger's condition must hold, or keep firing (s). */
export const TRIGGER_SECONDS = { min: 0, max: 86_400 } as const;
/** Consecutive provider errors before a fail-safe rollback. */
export const ERROR_ROLLBACK_AFTER = { min: 1, max: 1000 } as const;
/** How often metrics are polled (ms). */
export const POLL_INTERVAL_MS = { min: 1000, max: 600_000, default: 5000 } as const;
/** How long samples are kept (days). */
export const SAMPLE_RETENTION_DAYS = { min: 1, max: 365, default: 14 } as const;
/** The window a metric gate looks at (s). */
export const GATE_WINDOW_SEC = { min: 10, max: 86_400 } as const;
