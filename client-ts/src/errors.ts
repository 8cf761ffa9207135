// Errors the client hands to callers. A command either fails with the
// server's typed answer (`CommandError`, code from the protocol's `ErrorCode`)
// or because the client gave up on the connection (`ConnectionClosedError`).

import type { ErrorCode } from "./generated/ErrorCode.js";
import type { WireError } from "./generated/WireError.js";

/** The server refused a command (`rejected`), or reverted it after `accepted` (`reverted`). */
export class CommandError extends Error {
  override readonly name = "CommandError";
  readonly code: ErrorCode;
  /** As in the REST error envelope: `conflicts`, `freeWindows`, `currentVersion` … */
  readonly details: Record<string, unknown> | undefined;
  /** The command's id. */
  readonly cmdId: string;

  constructor(cmdId: string, error: WireError) {
    super(error.message);
    this.code = error.code;
    this.details = error.details;
    this.cmdId = cmdId;
  }
}

/** The server refused the handshake or said goodbye for a reason that retrying cannot fix. */
export class HandshakeError extends Error {
  override readonly name = "HandshakeError";
  readonly code: ErrorCode | undefined;
  constructor(message: string, code?: ErrorCode) {
    super(message);
    this.code = code;
  }
}

/** The client was closed (by `close()` or a fatal server answer) before the outcome was known. */
export class ConnectionClosedError extends Error {
  override readonly name = "ConnectionClosedError";
}

/** The server refused a subscription (an invalid view, too many subscriptions …). */
export class SubscriptionError extends Error {
  override readonly name = "SubscriptionError";
  readonly code: ErrorCode;
  constructor(error: WireError) {
    super(error.message);
    this.code = error.code;
  }
}
