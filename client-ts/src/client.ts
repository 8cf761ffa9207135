// The realtime client: one WebSocket to `/api/v1/ws`, the handshake, commands
// with their two acknowledgements, subscriptions, presence, keepalive, and
// reconnect-with-resume.
//
// Guarantees a caller can rely on (given the server's: events in `seq` order,
// a known `cmdId` answered with its original outcome):
// * a command's promise settles exactly once: `accepted` (then `durable`
//   settles later) or `rejected`, however many reconnects happen in between,
//   because unanswered commands are re-sent with the same `cmdId`;
// * after a reconnect every live subscription resumes from the last `seq` it
//   applied, so it neither misses nor re-applies an event and gets no snapshot;
// * only `close()`, `reconnect: false`, or a handshake refusal that retrying
//   cannot fix (e.g. an unsupported protocol version) end the client.

import { encodeClientFrame, decodeServerFrame } from "./codec.js";
import { CommandLedger, type Accepted, type ArtistAccepted, type BookingAccepted, type CommandPromise } from "./commands.js";
import { Emitter } from "./emitter.js";
import { ConnectionClosedError, HandshakeError, SubscriptionError } from "./errors.js";
import type { ArtistId } from "./generated/ArtistId.js";
import type { ArtistPatch } from "./generated/ArtistPatch.js";
import type { Booking } from "./generated/Booking.js";
import type { BookingId } from "./generated/BookingId.js";
import type { BookingPatch } from "./generated/BookingPatch.js";
import type { BookingStatus } from "./generated/BookingStatus.js";
import type { ClientFrame } from "./generated/ClientFrame.js";
import type { CmdId } from "./generated/CmdId.js";
import type { Command } from "./generated/Command.js";
import type { CommandResult } from "./generated/CommandResult.js";
import type { ErrorCode } from "./generated/ErrorCode.js";
import type { NewArtist } from "./generated/NewArtist.js";
import type { NewBooking } from "./generated/NewBooking.js";
import type { ServerFrame } from "./generated/ServerFrame.js";
import type { TenantId } from "./generated/TenantId.js";
import type { View } from "./generated/View.js";
import type { WireError } from "./generated/WireError.js";
import {
  OPEN,
  closeGracefully,
  detach,
  messageBytes,
  resolveWebSocket,
  type WebSocketConstructor,
  type WebSocketLike,
} from "./socket.js";
import { Subscription, type SubscriptionHost } from "./subscription.js";
import { uuidv7 } from "./uuid.js";
import { expectedChange } from "./view.js";

/** The protocol version this client speaks (`hello.protocolVersion`). */
export const PROTOCOL_VERSION = 1;

/** How often a keepalive `ping` goes out. */
export const PING_EVERY_MS = 15_000;
/** A connection that sent nothing (not even a `pong`) for this many ping periods is dead. */
const DEAD_AFTER_PINGS = 2;

const DEFAULT_RECONNECT: ReconnectOptions = { minDelayMs: 250, maxDelayMs: 10_000 };

/** Refusals that may go away by themselves: worth retrying the handshake for. */
const TRANSIENT_CODES: ReadonlySet<string> = new Set<ErrorCode>([
  "overloaded",
  "unavailable",
  "internal",
  "shutting_down",
  "slow_consumer",
  "heartbeat_timeout",
  "rate_limited",
]);

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

export interface ClientEvents {
  state: ClientState;
  /** A `welcome` (first connection or a reconnect). */
  welcome: { sessionId: string; serverSeq: number; durableSeq: number; reconnected: boolean };
  /** An `error` frame not tied to a command (bad frame, too many subscriptions …). */
  error: WireError;
  /** The server said goodbye (shutdown, slow consumer, heartbeat timeout …). */
  goodbye: { code: ErrorCode; reason: string };
}

/** Connects and completes the handshake; resolves once the server said `welcome`. */
export async function connect(url: string, options: ConnectOptions): Promise<Client> {
  const ctor = await resolveWebSocket(options.WebSocket);
  const client = new Client(url, ctor, options);
  await client._start();
  return client;
}

export class Client implements SubscriptionHost {
  readonly url: string;
  state: ClientState = "connecting";
  /** This connection's name in presence (changes with every reconnect). */
  sessionId = "";
  tenant: TenantId = "";
  /** The highest `seq` this client has heard of. */
  serverSeq = 0;
  /** Every change up to here is durable. */
  durableSeq = 0;

  /** The token of the current connection attempt. */
  private currentToken = "";
  private readonly ctor: WebSocketConstructor;
  private readonly options: ConnectOptions;
  private readonly reconnect: ReconnectOptions | false;
  private readonly pingEvery: number;

  private ws: WebSocketLike | undefined;
  private welcomed = false;
  private everWelcomed = false;
  private attempt = 0;
  private reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  private pingTimer: ReturnType<typeof setInterval> | undefined;
  private lastFrameAt = 0;
  private nonce = 0;
  private nextSubId = 1;
  private startResolve: (() => void) | undefined;
  private startReject: ((e: unknown) => void) | undefined;

  /** Commands not yet settled for good: unanswered, or accepted and not yet durable. */
  private readonly ledger = new CommandLedger();
  private readonly subs = new Map<number, Subscription>();
  private readonly unsubWaiters = new Map<number, () => void>();
  private readonly events = new Emitter<ClientEvents>();

  /** @internal Use `connect()`. */
  constructor(url: string, ctor: WebSocketConstructor, options: ConnectOptions) {
    this.url = url;
    this.ctor = ctor;
    this.options = options;
    this.reconnect = options.reconnect === undefined ? DEFAULT_RECONNECT : options.reconnect;
    this.pingEvery = options.pingIntervalMs ?? PING_EVERY_MS;
  }

  /** @internal Opens the first connection; settles on `welcome` or a failure. */
  _start(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.startResolve = resolve;
      this.startReject = reject;
      this.openSocket();
    });
  }

  // ---- public API ----------------------------------------------------------

  /** Listens to `state`, `welcome`, `error` or `goodbye`; returns a function that stops listening. */
  on<K extends keyof ClientEvents>(event: K, listener: (value: ClientEvents[K]) => void): () => void {
    return this.events.on(event, listener);
  }

  /** Commands sent and not yet answered (`accepted` or `rejected`). */
  get unanswered(): number {
    return this.ledger.unanswered;
  }

  /** Watches a view. Its state fills in with the snapshot (`await sub.ready`). */
  subscribe(view: View): Subscription {
    if (this.state === "closed") throw new ConnectionClosedError("the client is closed");
    const sub = new Subscription(this, this.nextSubId++, view);
    this.subs.set(sub.subId, sub);
    this._sendFrame(sub._subscribeFrame());
    return sub;
  }

  /**
   * Sends any command. Booking commands also change every matching
   * subscription's state at once (optimistically) until the server answers.
   */
  send(command: Command): CommandPromise<Accepted> {
    return this.sendCommand(command);
  }

  createBooking(booking: NewBooking): CommandPromise<BookingAccepted> {
    return this.sendCommand({ kind: "createBooking", booking }) as CommandPromise<BookingAccepted>;
  }

  updateBooking(id: BookingId, patch: BookingPatch): CommandPromise<BookingAccepted> {
    return this.sendCommand({ kind: "updateBooking", id, patch }) as CommandPromise<BookingAccepted>;
  }

  transitionBooking(id: BookingId, version: number, to: BookingStatus): CommandPromise<BookingAccepted> {
    return this.sendCommand({ kind: "transitionBooking", id, version, to }) as CommandPromise<BookingAccepted>;
  }

  createArtist(artist: NewArtist): CommandPromise<ArtistAccepted> {
    return this.sendCommand({ kind: "createArtist", artist }) as CommandPromise<ArtistAccepted>;
  }

  updateArtist(id: ArtistId, patch: ArtistPatch): CommandPromise<ArtistAccepted> {
    return this.sendCommand({ kind: "updateArtist", id, patch }) as CommandPromise<ArtistAccepted>;
  }

  archiveArtist(id: ArtistId): CommandPromise<ArtistAccepted> {
    return this.sendCommand({ kind: "archiveArtist", id }) as CommandPromise<ArtistAccepted>;
  }

  /**
   * Closes the connection for good. Unsettled commands reject with
   * `ConnectionClosedError` (their outcome on the server is unknown).
   */
  async close(): Promise<void> {
    if (this.state === "closed") return;
    const ws = this.ws;
    this.ws = undefined;
    this.shutDown(new ConnectionClosedError("the client was closed"));
    if (ws) await closeGracefully(ws);
  }

  /**
   * Test hook: drops the connection as a network failure would (no closing
   * handshake, frames in flight are lost); the client then reconnects.
   */
  _dropConnection(): void {
    if (this.ws) this.lose(this.ws, "dropped by _dropConnection()");
  }

  // ---- SubscriptionHost ------------------------------------------------------

  /** @internal Sends a frame if the connection is up; `false` means it will be re-sent on reconnect. */
  _sendFrame(frame: ClientFrame): boolean {
    const ws = this.ws;
    if (!ws || !this.welcomed || ws.readyState !== OPEN) return false;
    try {
      ws.send(encodeClientFrame(frame));
      return true;
    } catch {
      return false;
    }
  }

  /** @internal */
  _unsubscribe(sub: Subscription): Promise<void> {
    this.subs.delete(sub.subId);
    if (!this._sendFrame({ type: "unsubscribe", subId: sub.subId })) return Promise.resolve();
    return new Promise<void>((resolve) => this.unsubWaiters.set(sub.subId, resolve));
  }

  // ---- commands ----------------------------------------------------------------

  private sendCommand(command: Command): CommandPromise<Accepted> {
    const cmdId = uuidv7();
    let promise: Promise<Accepted>;
    if (this.state === "closed") {
      promise = Promise.reject(new ConnectionClosedError("the client is closed"));
    } else {
      promise = this.ledger.add(cmdId, command);
      // Show the expected change before the frame leaves, so the UI reacts at once.
      this.applyOptimistic(cmdId, command);
      this._sendFrame({ type: "command", cmdId, command });
    }
    return Object.assign(promise, { cmdId });
  }

  private applyOptimistic(cmdId: CmdId, command: Command): void {
    const change = expectedChange(cmdId, command, (id) => this.knownBooking(id));
    if (!change) return;
    for (const sub of this.subs.values()) sub._optimistic(cmdId, change.key, change.apply);
  }

  private knownBooking(id: BookingId): Booking | undefined {
    for (const sub of this.subs.values()) {
      const b = sub.bookings.get(id);
      if (b) return b;
    }
    return undefined;
  }

  // ---- connection ----------------------------------------------------------------

  private openSocket(): void {
    this.reconnectTimer = undefined;
    const token = this.options.token;
    if (typeof token === "string") {
      this.currentToken = token;
      this.openSocketWithToken();
      return;
    }
    Promise.resolve()
      .then(() => token())
      .then(
        (t) => {
          if (this.state === "closed") return;
          this.currentToken = t;
          this.openSocketWithToken();
        },
        (err: unknown) => this.connectionFailed(`cannot get a token: ${errorText(err)}`),
      );
  }

  private openSocketWithToken(): void {
    let ws: WebSocketLike;
    try {
      ws = new this.ctor(this.url);
    } catch (err) {
      this.connectionFailed(`cannot open ${this.url}: ${errorText(err)}`);
      return;
    }
    ws.binaryType = "arraybuffer";
    this.ws = ws;
    this.welcomed = false;
    ws.onopen = () => {
      if (this.ws !== ws) return;
      this.lastFrameAt = Date.now();
      const hello: ClientFrame = {
        type: "hello",
        protocolVersion: PROTOCOL_VERSION,
        token: this.currentToken,
        // No connection-wide `resumeFromSeq`: it would become the default of
        // every `subscribe` on this connection, and a view first watched after
        // the reconnect needs a snapshot. Each subscription resumes on its own.
      };
      try {
        ws.send(encodeClientFrame(hello));
      } catch (err) {
        this.lose(ws, `cannot send hello: ${errorText(err)}`);
      }
    };
    ws.onmessage = (ev: { data: unknown }) => {
      if (this.ws === ws) this.onMessage(ws, ev.data);
    };
    ws.onclose = (ev: { code?: number; reason?: string }) => {
      if (this.ws === ws) this.lose(ws, `socket closed (${ev?.code ?? "?"}${ev?.reason ? ` ${ev.reason}` : ""})`);
    };
    // An error is always followed by a close; the close does the work.
    ws.onerror = () => {};
  }

  /** The socket is gone (closed, failed, or dropped on purpose). */
  private lose(ws: WebSocketLike, why: string): void {
    if (this.ws !== ws) return;
    this.ws = undefined;
    detach(ws);
    try {
      if (ws.terminate) ws.terminate();
      else ws.close();
    } catch {
      // already closed
    }
    this.welcomed = false;
    this.stopPing();
    for (const resolve of this.unsubWaiters.values()) resolve();
    this.unsubWaiters.clear();
    this.connectionFailed(why);
  }

  private connectionFailed(why: string): void {
    if (this.state === "closed") return;
    if (!this.everWelcomed) {
      // The first connection never came up: tell the caller of `connect()`.
      this.shutDown(new Error(`cannot connect to ${this.url}: ${why}`));
      return;
    }
    if (this.reconnect === false) {
      this.shutDown(new ConnectionClosedError(`connection lost (${why}) and reconnect is off`));
      return;
    }
    this.setState("reconnecting");
    const { minDelayMs, maxDelayMs } = this.reconnect;
    const ceiling = Math.min(maxDelayMs, minDelayMs * 2 ** Math.min(this.attempt, 30));
    // Jitter over the upper half: clients dropped together do not return together.
    const delay = ceiling / 2 + Math.random() * (ceiling / 2);
    this.attempt += 1;
    this.reconnectTimer = setTimeout(() => this.openSocket(), delay);
  }

  /** Ends the client: nothing will be retried. */
  private shutDown(reason: unknown): void {
    if (this.state === "closed") return;
    if (this.reconnectTimer !== undefined) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = undefined;
    this.stopPing();
    const ws = this.ws;
    this.ws = undefined;
    this.welcomed = false;
    if (ws) {
      detach(ws);
      try {
        ws.close(1000);
      } catch {
        // already closed
      }
    }
    const closed = reason instanceof ConnectionClosedError ? reason : new ConnectionClosedError(errorText(reason));
    this.ledger.failAll(closed);
    for (const sub of this.subs.values()) sub._close(closed);
    this.subs.clear();
    for (const resolve of this.unsubWaiters.values()) resolve();
    this.unsubWaiters.clear();
    this.setState("closed");
    this.startReject?.(reason);
    this.startResolve = this.startReject = undefined;
  }

  private setState(state: ClientState): void {
    if (this.state === state) return;
    this.state = state;
    this.emit("state", state);
  }

  private startPing(): void {
    this.stopPing();
    this.pingTimer = setInterval(() => {
      const ws = this.ws;
      if (!ws) return;
      if (Date.now() - this.lastFrameAt > DEAD_AFTER_PINGS * this.pingEvery) {
        this.lose(ws, "no answer to keepalive pings");
        return;
      }
      this.nonce += 1;
      this._sendFrame({ type: "ping", nonce: this.nonce });
    }, this.pingEvery);
  }

  private stopPing(): void {
    if (this.pingTimer !== undefined) clearInterval(this.pingTimer);
    this.pingTimer = undefined;
  }

  // ---- frames from the server ----------------------------------------------------

  private onMessage(ws: WebSocketLike, data: unknown): void {
    this.lastFrameAt = Date.now();
    const bytes = messageBytes(data);
    if (bytes === undefined) return; // the protocol is binary; ignore anything else
    let frame: ServerFrame;
    try {
      frame = decodeServerFrame(bytes);
    } catch (err) {
      this.emit("error", { code: "invalid", message: `undecodable frame from the server: ${errorText(err)}` });
      return;
    }
    this.handle(ws, frame);
  }

  private handle(ws: WebSocketLike, frame: ServerFrame): void {
    switch (frame.type) {
      case "welcome":
        return this.onWelcome(frame);
      case "accepted":
        return this.onAccepted(frame.cmdId, frame.seq, frame.result);
      case "rejected":
        return this.onRejected(frame.cmdId, frame.error);
      case "durable":
        return this.onDurable(frame.durableSeq);
      case "snapshot":
        this.serverSeq = Math.max(this.serverSeq, frame.seq);
        this.subs.get(frame.subId)?._snapshot(frame.seq, frame.artists, frame.bookings, frame.presence);
        return;
      case "resumed":
        this.serverSeq = Math.max(this.serverSeq, frame.seq);
        this.subs.get(frame.subId)?._resumed(frame.presence);
        return;
      case "event":
        this.serverSeq = Math.max(this.serverSeq, frame.event.seq);
        for (const subId of frame.subIds) this.subs.get(subId)?._event(frame.event);
        return;
      case "presenceDiff":
        this.subs.get(frame.subId)?._presenceDiff(frame.joins, frame.leaves);
        return;
      case "unsubscribed": {
        const resolve = this.unsubWaiters.get(frame.subId);
        this.unsubWaiters.delete(frame.subId);
        resolve?.();
        return;
      }
      case "pong":
        return;
      case "error": {
        if (!this.welcomed) return this.refused(ws, frame.error.code, frame.error.message);
        // A refused subscribe names its subscription: settle it instead of leaving `ready` pending.
        const refused = frame.subId === undefined ? undefined : this.subs.get(frame.subId);
        if (refused !== undefined && frame.subId !== undefined) {
          this.subs.delete(frame.subId);
          refused._close(new SubscriptionError(frame.error));
        }
        this.emit("error", frame.error);
        return;
      }
      case "goodbye":
        this.emit("goodbye", { code: frame.code, reason: frame.reason });
        if (!this.welcomed) return this.refused(ws, frame.code, frame.reason);
        // The server closes the socket next; reconnect without waiting for it.
        this.lose(ws, `goodbye (${frame.code}: ${frame.reason})`);
        return;
    }
  }

  /** The handshake was refused: final unless the reason may pass. */
  private refused(ws: WebSocketLike, code: ErrorCode, message: string): void {
    if (this.everWelcomed && TRANSIENT_CODES.has(code)) {
      this.lose(ws, `handshake refused (${code}: ${message})`);
      return;
    }
    this.shutDown(new HandshakeError(`the server refused the connection (${code}): ${message}`, code));
  }

  private onWelcome(frame: Extract<ServerFrame, { type: "welcome" }>): void {
    const reconnected = this.everWelcomed;
    this.welcomed = true;
    this.everWelcomed = true;
    this.attempt = 0;
    this.sessionId = frame.sessionId;
    this.tenant = frame.tenant;
    this.serverSeq = Math.max(this.serverSeq, frame.serverSeq);
    this.setState("connected");
    this.startPing();

    // Order matters: views first (each resumes from its own seq), then the
    // commands the server has not answered (same cmdId: a known one is answered
    // with its original outcome), then presence, which the old session took along.
    for (const sub of this.subs.values()) this._sendFrame(sub._subscribeFrame());
    this.durableSeq = frame.durableSeq;
    this.ledger.durable(this.durableSeq);
    for (const c of this.ledger.toResend()) {
      // Accepted but not yet durable is re-sent too: the server answers a
      // duplicate with the original outcome and then re-checks its durability,
      // so a revert that happened while we were away still reaches `durable`
      // (the old session, which would have been told, is gone).
      this._sendFrame({ type: "command", cmdId: c.cmdId, command: c.command });
    }
    for (const sub of this.subs.values()) sub._resendPresence();

    this.emit("welcome", {
      sessionId: frame.sessionId,
      serverSeq: frame.serverSeq,
      durableSeq: frame.durableSeq,
      reconnected,
    });
    this.startResolve?.();
    this.startResolve = this.startReject = undefined;
  }

  private onAccepted(cmdId: CmdId, seq: number, result: CommandResult): void {
    this.serverSeq = Math.max(this.serverSeq, seq);
    if (!this.ledger.accepted(cmdId, seq, result, this.durableSeq)) return;
    const booking = result.kind === "booking" ? result.booking : undefined;
    for (const sub of this.subs.values()) sub._accepted(cmdId, seq, booking);
  }

  private onRejected(cmdId: CmdId, error: WireError): void {
    const err = this.ledger.rejected(cmdId, error);
    if (!err) return;
    for (const sub of this.subs.values()) sub._rejected(cmdId, err);
  }

  private onDurable(durableSeq: number): void {
    this.durableSeq = Math.max(this.durableSeq, durableSeq);
    this.ledger.durable(this.durableSeq);
  }

  private emit<K extends keyof ClientEvents>(event: K, value: ClientEvents[K]): void {
    this.events.emit(event, value);
  }
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
