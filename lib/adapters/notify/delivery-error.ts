// Why a message could not be sent, in words safe to store on the delivery and show in the room
// (host:port at most; never a URL path, a query, a credential or what the far end answered), and
// whether trying again could help: a refused address or a rejected credential will not get better.
export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
  ) {
    super(message);
    this.name = "DeliveryError";
  }
}

/** An HTTP answer that is not 2xx: 408 and 429 are worth retrying, like any 5xx; other 4xx are not. */
export function httpStatusError(status: number, where: string): DeliveryError {
  const permanent = status >= 400 && status < 500 && status !== 408 && status !== 429;
  return new DeliveryError(`HTTP ${status} from ${where}`, permanent);
}

// The guard's refusals and malformed settings do not change by waiting.
const PERMANENT_OUTBOUND = new Set(["refused", "invalid_url", "invalid_request", "redirect"]);

/** An outbound guard error (lib/net/outbound.ts) as a delivery error. */
export function fromOutboundError(err: { code: string; message: string }): DeliveryError {
  return new DeliveryError(err.message, PERMANENT_OUTBOUND.has(err.code));
}
