// The one place that turns router settings into a TrafficRouter: callers never branch on `kind`.
import type { TrafficRouter } from "@/lib/domain/ports";
import { CommandRouter } from "./command";
import { RouterConfigSchema, type RouterConfigInput } from "./config";
import { HaproxyRouter } from "./haproxy";
import { NginxRouter } from "./nginx";
import { WebhookRouter } from "./webhook";

/**
 * A router for the given settings. They are parsed again here (defaults filled in, names checked),
 * because settings usually come from the database as JSON: a bad one fails with a zod error
 * before any command reaches a load balancer.
 */
export function createRouter(config: RouterConfigInput): TrafficRouter {
  const c = RouterConfigSchema.parse(config);
  switch (c.kind) {
    case "haproxy":
      return new HaproxyRouter(c);
    case "nginx":
      return new NginxRouter(c);
    case "webhook":
      return new WebhookRouter(c);
    case "command":
      return new CommandRouter(c);
    default: {
      const never: never = c;
      throw new Error(`unknown router kind ${(never as { kind: string }).kind}`);
    }
  }
}

export {
  RouterConfigSchema,
  HaproxyRouterConfigSchema,
  NginxRouterConfigSchema,
  WebhookRouterConfigSchema,
  CommandRouterConfigSchema,
  redactRouterConfig,
  REDACTED,
  type RouterConfig,
  type RouterConfigInput,
  type RouterKind,
  type RedactedRouterConfig,
} from "./config";
export { verifyWebhookSignature, signWebhookBody } from "./webhook";
export { HaproxyRouter } from "./haproxy";
export { NginxRouter } from "./nginx";
export { WebhookRouter } from "./webhook";
export { CommandRouter } from "./command";
