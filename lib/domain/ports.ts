// Ports: what the services need from the outside world. Adapters in lib/adapters implement them;
// pure service tests may fake them. Nothing here does I/O.

/** Who asked for a traffic change, carried to routers that can record it (webhook, command). */
export interface TrafficChangeMeta {
  cutoverId: string;
  requestId: string;
  reason: string;
  /** Fencing number of this change: a router that can check it refuses stale writers. */
  fence: string;
  rehearsal: boolean;
}

export interface VerifyResult {
  ok: boolean;
  /** Percent to new actually in force, when the router can tell. */
  actual: number | null;
  detail: string;
}

/**
 * The thing that holds the traffic split: percent of requests to the new system, old gets the rest.
 * `set` applies a split, `read` reads the one in force, `verify` confirms a split is in force
 * (for nginx: once the old workers are gone). Every method rejects with a clear Error on failure
 * and honours `signal` (timeouts).
 */
export interface TrafficRouter {
  readonly kind: "haproxy" | "nginx" | "webhook" | "command";
  /** Human description without secrets, e.g. "HAProxy be_app (old/new) via /run/haproxy.sock". */
  describe(): string;
  read(signal?: AbortSignal): Promise<number>;
  set(percent: number, meta: TrafficChangeMeta, signal?: AbortSignal): Promise<void>;
  verify(percent: number, signal?: AbortSignal): Promise<VerifyResult>;
}

/** What a rollback hook answers; `status` is broadcast, `output` only stored with the rollback. */
export interface HookResult {
  ok: boolean;
  /** Short and safe to broadcast: exit code, HTTP status, timeout or refusal. */
  status: string;
  /** Redacted and capped; for the stored rollback record only. */
  output: string;
  durationMs: number;
}

/**
 * One rollback hook ("put the new app in read-only", "kubectl rollout undo"), run after traffic is
 * back on old. `run` never rejects: a hook that failed is a result with ok false, so the next hook
 * still runs. `context` is the documented WARROOM_* variables.
 */
export interface RollbackHookRunner {
  readonly kind: "command" | "webhook";
  run(context: Record<string, string>): Promise<HookResult>;
}
