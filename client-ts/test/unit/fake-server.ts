// A scripted stand-in for pt-server, for client behaviour the real server
// cannot be made to show on demand (a lost answer, a revert, a slow ack).
// It speaks the real codec; each test decides what it answers.

import { WebSocketServer, type WebSocket } from "ws";
import { decodeClientFrame, encode } from "../../src/codec.js";
import type { ClientFrame } from "../../src/generated/ClientFrame.js";
import type { ServerFrame } from "../../src/generated/ServerFrame.js";

export interface FakeConn {
  socket: WebSocket;
  frames: ClientFrame[];
  send(frame: ServerFrame): void;
}

export class FakeServer {
  readonly conns: FakeConn[] = [];
  /** Answers `hello`; by default with a `welcome`. */
  onHello: (conn: FakeConn, hello: Extract<ClientFrame, { type: "hello" }>) => void = (conn, hello) => this.welcome(conn, hello);
  /** Called for every other frame. */
  onFrame: (conn: FakeConn, frame: ClientFrame) => void = () => {};
  serverSeq = 0;
  durableSeq = 0;
  private wss!: WebSocketServer;

  async start(): Promise<string> {
    this.wss = new WebSocketServer({ host: "127.0.0.1", port: 0 });
    await new Promise<void>((r) => this.wss.once("listening", () => r()));
    this.wss.on("connection", (socket) => {
      const conn: FakeConn = {
        socket,
        frames: [],
        send: (frame) => socket.send(encode(frame)),
      };
      this.conns.push(conn);
      socket.on("message", (data: Buffer) => {
        const frame = decodeClientFrame(new Uint8Array(data));
        conn.frames.push(frame);
        if (frame.type === "hello") {
          this.onHello(conn, frame);
        } else {
          this.onFrame(conn, frame);
        }
      });
    });
    const { port } = this.wss.address() as { port: number };
    return `ws://127.0.0.1:${port}`;
  }

  welcome(conn: FakeConn, hello: Extract<ClientFrame, { type: "hello" }>): void {
    conn.send({
      type: "welcome",
      sessionId: `s-${this.conns.indexOf(conn) + 1}`,
      protocolVersion: hello.protocolVersion,
      tenant: "de300000-0000-4000-8000-000000000001",
      serverSeq: this.serverSeq,
      durableSeq: this.durableSeq,
    });
  }

  get last(): FakeConn {
    return this.conns[this.conns.length - 1]!;
  }

  async stop(): Promise<void> {
    for (const c of this.conns) c.socket.terminate();
    await new Promise<void>((r) => this.wss.close(() => r()));
  }
}

/** Polls `cond` until it holds, or fails naming `what` after `ms`. */
export async function waitFor(what: string, cond: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
