// One client's link to the server, one socket at a time: getting a token,
// opening the socket, the `hello` handshake, keepalive pings, and reconnecting
// with jittered exponential backoff when the socket goes away. It knows
// nothing of commands or views: decoded frames go to its host (the `Client`),
// which answers `welcome` with `welcomed()` and a refusal with `refused()`.
//
// Whether a lost socket is retried: not before the first `welcome` (the caller
// of `connect()` hears the failure), not with `reconnect: false`, and not after
// a refusal retrying cannot fix; everything else reconnects.

import { decodeServerFrame, encodeClientFrame } from "./codec.js";
import { HandshakeError, ConnectionClosedError } from "./errors.js";
import type { ClientFrame } from "./generated/ClientFrame.js";
import type { ErrorCode } from "./generated/ErrorCode.js";
import type { ServerFrame } from "./generated/ServerFrame.js";
import { PROTOCOL_VERSION } from "./generated/version.js";
import type { WireError } from "./generated/WireError.js";
import { DEFAULT_RECONNECT, PING_EVERY_MS, errorText, type ConnectOptions, type ReconnectOptions } from "./options.js";
import { OPEN, detach, messageBytes, type WebSocketConstructor, type WebSocketLike } from "./socket.js";

/** A connection that sent nothing (not even a `pong`) for this many ping periods is dead. */
const DEAD_AFTER_PINGS = 2;

/** Refusals that may go away by themselves: worth retrying the handshake for. */
const TRANSIENT_CODES: ReadonlySet<string> = new Set<ErrorCode>([
  "overloaded",
  "service_unavailable",
  "internal",
  "shutting_down",
  "slow_consumer",
  "heartbeat_timeout",
  "rate_limited",
]);

/** What the connection tells the client it serves. */
export interface ConnectionHost {
  /** A frame from the server on the current socket. */
  frame(frame: ServerFrame): void;
  /** A frame from the server that does not decode (not tied to a command). */
  badFrame(error: WireError): void;
  /** The socket went away: whatever waited for an answer on it will not get one. */
  lost(): void;
  /** A reconnect is scheduled. */
  reconnecting(): void;
  /** The connection gives up for good; `reason` is why. */
  gaveUp(reason: unknown): void;
}

export class Connection {
  private readonly url: string;
  private readonly ctor: WebSocketConstructor;
  private readonly token: ConnectOptions["token"];
  private readonly reconnect: ReconnectOptions | false;
  private readonly pingEvery: number;
  private readonly host: ConnectionHost;

  /** The token of the current connection attempt. */
  private currentToken = "";
  private ws: WebSocketLike | undefined;
  /** The current socket's handshake is done. */
  private welcomedNow = false;
  /** Some socket got a `welcome`: losing one from now on means reconnecting. */
  private everWelcomed = false;
  private stopped = false;
  private attempt = 0;
  private reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  private pingTimer: ReturnType<typeof setInterval> | undefined;
  private lastFrameAt = 0;
  private nonce = 0;

  constructor(url: string, ctor: WebSocketConstructor, options: ConnectOptions, host: ConnectionHost) {
    this.url = url;
    this.ctor = ctor;
    this.token = options.token;
    this.reconnect = options.reconnect === undefined ? DEFAULT_RECONNECT : options.reconnect;
    this.pingEvery = options.pingIntervalMs ?? PING_EVERY_MS;
    this.host = host;
  }

  /** Sends a frame if the handshake is done; `false` means it did not go (resend it after a `welcome`). */
  send(frame: ClientFrame): boolean {
    const ws = this.ws;
    if (!ws || !this.welcomedNow || ws.readyState !== OPEN) return false;
    try {
      ws.send(encodeClientFrame(frame));
      return true;
    } catch {
      return false;
    }
  }

  /** The server said `welcome`; returns whether this is a reconnect. */
  welcomed(): boolean {
    const reconnected = this.everWelcomed;
    this.welcomedNow = true;
    this.everWelcomed = true;
    this.attempt = 0;
    this.startPing();
    return reconnected;
  }

  /** The handshake was refused (or `goodbye` before `welcome`): final unless the reason may pass. */
  refused(code: ErrorCode, message: string): void {
    if (this.everWelcomed && TRANSIENT_CODES.has(code)) {
      this.lose(`handshake refused (${code}: ${message})`);
      return;
    }
    this.host.gaveUp(new HandshakeError(`the server refused the connection (${code}): ${message}`, code));
  }

  /** Whether the current socket's handshake is done. */
  get isWelcomed(): boolean {
    return this.welcomedNow;
  }

  /** Opens a socket: the first one, or the next after a lost one. */
  open(): void {
    this.reconnectTimer = undefined;
    const token = this.token;
    if (typeof token === "string") {
      this.currentToken = token;
      this.openWithToken();
      return;
    }
    Promise.resolve()
      .then(() => token())
      .then(
        (t) => {
          if (this.stopped) return;
          this.currentToken = t;
          this.openWithToken();
        },
        (err: unknown) => this.failed(`cannot get a token: ${errorText(err)}`),
      );
  }

  /** Drops the current socket (closed, failed, dropped on purpose): reconnect or give up. */
  lose(why: string): void {
    const ws = this.ws;
    if (!ws) return;
    this.ws = undefined;
    detach(ws);
    try {
      if (ws.terminate) ws.terminate();
      else ws.close();
    } catch {
      // already closed
    }
    this.welcomedNow = false;
    this.stopPing();
    this.host.lost();
    this.failed(why);
  }

  /** Hands over the current socket (to close it gracefully) and forgets it. */
  release(): WebSocketLike | undefined {
    const ws = this.ws;
    this.ws = undefined;
    return ws;
  }

  /** Stops for good: no retry, no ping; a socket still held is closed (1000). */
  stop(): void {
    this.stopped = true;
    if (this.reconnectTimer !== undefined) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = undefined;
    this.stopPing();
    const ws = this.ws;
    this.ws = undefined;
    this.welcomedNow = false;
    if (ws) {
      detach(ws);
      try {
        ws.close(1000);
      } catch {
        // already closed
      }
    }
  }

  private openWithToken(): void {
    let ws: WebSocketLike;
    try {
      ws = new this.ctor(this.url);
    } catch (err) {
      this.failed(`cannot open ${this.url}: ${errorText(err)}`);
      return;
    }
    ws.binaryType = "arraybuffer";
    this.ws = ws;
    this.welcomedNow = false;
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
        this.lose(`cannot send hello: ${errorText(err)}`);
      }
    };
    ws.onmessage = (ev: { data: unknown }) => {
      if (this.ws === ws) this.onMessage(ev.data);
    };
    ws.onclose = (ev: { code?: number; reason?: string }) => {
      if (this.ws === ws) this.lose(`socket closed (${ev?.code ?? "?"}${ev?.reason ? ` ${ev.reason}` : ""})`);
    };
    // An error is always followed by a close; the close does the work.
    ws.onerror = () => {};
  }

  private onMessage(data: unknown): void {
    this.lastFrameAt = Date.now();
    const bytes = messageBytes(data);
    if (bytes === undefined) return; // the protocol is binary; ignore anything else
    let frame: ServerFrame;
    try {
      frame = decodeServerFrame(bytes);
    } catch (err) {
      this.host.badFrame({ code: "invalid", message: `undecodable frame from the server: ${errorText(err)}` });
      return;
    }
    this.host.frame(frame);
  }

  /** No socket now: retry after a backoff, or give up. */
  private failed(why: string): void {
    if (this.stopped) return;
    if (!this.everWelcomed) {
      // The first connection never came up: tell the caller of `connect()`.
      this.host.gaveUp(new Error(`cannot connect to ${this.url}: ${why}`));
      return;
    }
    if (this.reconnect === false) {
      this.host.gaveUp(new ConnectionClosedError(`connection lost (${why}) and reconnect is off`));
      return;
    }
    this.host.reconnecting();
    const { minDelayMs, maxDelayMs } = this.reconnect;
    const ceiling = Math.min(maxDelayMs, minDelayMs * 2 ** Math.min(this.attempt, 30));
    // Jitter over the upper half: clients dropped together do not return together.
    const delay = ceiling / 2 + Math.random() * (ceiling / 2);
    this.attempt += 1;
    this.reconnectTimer = setTimeout(() => this.open(), delay);
  }

  private startPing(): void {
    this.stopPing();
    this.pingTimer = setInterval(() => {
      if (!this.ws) return;
      if (Date.now() - this.lastFrameAt > DEAD_AFTER_PINGS * this.pingEvery) {
        this.lose("no answer to keepalive pings");
        return;
      }
      this.nonce += 1;
      this.send({ type: "ping", nonce: this.nonce });
    }, this.pingEvery);
  }

  private stopPing(): void {
    if (this.pingTimer !== undefined) clearInterval(this.pingTimer);
    this.pingTimer = undefined;
  }
}
