// What a caller configures and observes on a `Client`: connect options, the
// reconnect backoff, the client's states and the events it emits, with the
// defaults that apply when an option is left out.

import type { ErrorCode } from "./generated/ErrorCode.js";
import type { WireError } from "./generated/WireError.js";
import type { NotificationEvents } from "./notifications.js";
import type { WebSocketConstructor } from "./socket.js";

/** How often a keepalive `ping` goes out. */
export const PING_EVERY_MS = 15_000;

export const DEFAULT_RECONNECT: ReconnectOptions = { minDelayMs: 250, maxDelayMs: 10_000 };

export type ClientState = "connecting" | "connected" | "reconnecting" | "closed";

export interface ReconnectOptions {
  /** The first retry waits about this long (with jitter). */
  minDelayMs: number;
  /** Retries back off exponentially up to this. */
  maxDelayMs: number;
}

export interface ConnectOptions {
  /**
   * The bearer token: an access token from `POST /api/v1/auth/login`, an API
   * token (`pt_…`) or an OIDC provider's JWT. It picks the studio and the role.
   * Give a function to supply a fresh token on every (re)connect: access
   * tokens expire (15 minutes), and the server closes a session whose token
   * expires or is revoked (`goodbye` with `unauthenticated`).
   */
  token: string | (() => string | Promise<string>);
  /** A WebSocket constructor; default: the platform's, else the `ws` package. */
  WebSocket?: WebSocketConstructor;
  /** Backoff for automatic reconnects, or `false` to close on the first lost connection. */
  reconnect?: ReconnectOptions | false;
  /** Keepalive period (default 15 s). */
  pingIntervalMs?: number;
}

/**
 * Also `notification` (one for the signed-in user, live) and
 * `notificationsRead` (they read some, here or in another tab): each once,
 * whichever subscription carried it (`notifications.ts`).
 */
export interface ClientEvents extends NotificationEvents {
  state: ClientState;
  /** A `welcome` (first connection or a reconnect). */
  welcome: { sessionId: string; serverSeq: number; durableSeq: number; reconnected: boolean };
  /** An `error` frame not tied to a command (bad frame, too many subscriptions …). */
  error: WireError;
  /** The server said goodbye (shutdown, slow consumer, heartbeat timeout …). */
  goodbye: { code: ErrorCode; reason: string };
}

export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
