// A kind of rollback hook: its settings are checked once, when the hook is made from the
// integration (a bad setting fails there, not halfway through a rollback), then every run gets them.
import type { z } from "zod";
import type { HookResult, RollbackHookRunner } from "@/lib/domain/ports";

export function hookKind<K extends RollbackHookRunner["kind"], S extends z.ZodType>(kind: K, schema: S, run: (config: z.output<S>, context: Record<string, string>) => Promise<HookResult>) {
  return class implements RollbackHookRunner {
    readonly kind = kind;
    private readonly config: z.output<S>;

    constructor(config: unknown) {
      this.config = schema.parse(config);
    }

    run(context: Record<string, string>): Promise<HookResult> {
      return run(this.config, context);
    }
  };
}
