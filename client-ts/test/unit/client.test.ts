// Client behaviour against a scripted fake server: lost answers, reverts,
// acks ahead of events, presence coalescing, refused handshakes.

import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { connect, CommandError, HandshakeError, PRESENCE_MAX_PER_SECOND, PROTOCOL_VERSION, type Client } from "../../src/index.js";
import type { Artist } from "../../src/generated/Artist.js";
import type { Booking } from "../../src/generated/Booking.js";
import type { TimeOff } from "../../src/generated/TimeOff.js";
import type { ClientFrame } from "../../src/generated/ClientFrame.js";
import { FakeServer, waitFor } from "./fake-server.js";

const ARTIST = "01920000-0000-7000-8000-0000000000a1";
const T0 = 1_798_761_600_000_000;

function booking(id: string, over: Partial<Booking> = {}): Booking {
  return {
    id, artistId: ARTIST, projectId: null, title: "t", notes: null, startTime: T0, endTime: T0 + 3_600_000_000,
    status: "pencil", expiresAt: null, version: 1, createdAt: T0, createdBy: "api", updatedAt: T0, updatedBy: "api",
    ...over,
  };
}

let server: FakeServer;
let url: string;
let client: Client | undefined;
beforeEach(async () => {
  server = new FakeServer();
  url = await server.start();
});
afterEach(async () => {
  await client?.close();
  client = undefined;
  await server.stop();
});

type Cmd = Extract<ClientFrame, { type: "command" }>;
const commands = (frames: ClientFrame[]) => frames.filter((f): f is Cmd => f.type === "command");

describe("client against a fake server", () => {
  it("re-sends an unanswered command with the same cmdId after a drop, and resumes each view from its seq", async () => {
    server.onFrame = (conn, f) => {
      if (f.type === "subscribe" && f.resumeFromSeq === undefined) {
        conn.send({ type: "snapshot", subId: f.subId, seq: 5, artists: [], bookings: [], presence: [] });
      } else if (f.type === "subscribe") {
        conn.send({ type: "resumed", subId: f.subId, seq: 5, presence: [] });
      }
      // Commands on the first connection are never answered (the answer is "lost").
      if (f.type === "command" && server.conns.length > 1) {
        conn.send({ type: "accepted", cmdId: f.cmdId, seq: 6, result: { kind: "booking", booking: booking("b1") } });
      }
    };
    client = await connect(url, { token: "test-token", reconnect: { minDelayMs: 1, maxDelayMs: 5 } });
    const sub = client.subscribe({ kind: "tenant" });
    await sub.ready;
    const p = client.createBooking({ artistId: ARTIST, title: "t", startTime: T0, endTime: T0 + 3_600_000_000 });
    await waitFor("the command to reach the server", () => commands(server.conns[0]!.frames).length === 1);
    client._dropConnection();
    const accepted = await p;
    expect(accepted.seq).toBe(6);
    const second = server.conns[1]!.frames;
    expect(commands(second).map((f) => f.cmdId)).toEqual([p.cmdId]);
    expect(second.find((f) => f.type === "subscribe")).toEqual({ type: "subscribe", subId: sub.subId, view: { kind: "tenant" }, resumeFromSeq: 5 });
    expect(second[0]).toEqual({ type: "hello", protocolVersion: PROTOCOL_VERSION, token: "test-token" });
    // The optimistic create now shows the server's result under the real id.
    expect(sub.bookings.has(p.cmdId)).toBe(false);
    expect(sub.bookings.get("b1")).toEqual(booking("b1"));
    expect(sub.pending.size).toBe(0);
  });

  it("an accepted command shows the server's result until the event, then the event's state; durable waits for the watermark", async () => {
    server.onFrame = (conn, f) => {
      if (f.type === "subscribe") conn.send({ type: "snapshot", subId: f.subId, seq: 1, artists: [], bookings: [booking("b1")], presence: [] });
      if (f.type === "command") conn.send({ type: "accepted", cmdId: f.cmdId, seq: 2, result: { kind: "booking", booking: booking("b1", { title: "new", version: 2 }) } });
    };
    client = await connect(url, { token: "test-token" });
    const sub = client.subscribe({ kind: "tenant" });
    await sub.ready;
    const p = client.updateBooking("b1", { version: 1, title: "new" });
    expect(sub.bookings.get("b1")?.title).toBe("new");
    expect(sub.pending.has("b1")).toBe(true);
    const acc = await p;
    expect(sub.pending.has("b1")).toBe(false);
    expect(sub.bookings.get("b1")?.version).toBe(2);
    let durable: number | undefined;
    void acc.durable.then((d) => (durable = d));
    server.last.send({ type: "durable", durableSeq: 1 });
    server.last.send({ type: "event", subIds: [sub.subId], event: { seq: 2, cmdId: p.cmdId, at: T0, by: "ws", event: { type: "bookingUpdated", booking: booking("b1", { title: "new", version: 2, updatedBy: "ws" }) } } });
    await waitFor("the event", () => sub.seq === 2);
    expect(sub.bookings.get("b1")?.updatedBy).toBe("ws");
    expect(durable).toBeUndefined();
    server.last.send({ type: "durable", durableSeq: 2 });
    expect(await acc.durable).toBe(2);
  });

  it("a revert after accepted rejects `durable` and rolls the optimistic state back", async () => {
    server.onFrame = (conn, f) => {
      if (f.type === "subscribe") conn.send({ type: "snapshot", subId: f.subId, seq: 1, artists: [], bookings: [], presence: [] });
      if (f.type === "command") {
        conn.send({ type: "accepted", cmdId: f.cmdId, seq: 2, result: { kind: "booking", booking: booking("b9") } });
      }
    };
    client = await connect(url, { token: "test-token" });
    const sub = client.subscribe({ kind: "tenant" });
    await sub.ready;
    const acc = await client.createBooking({ artistId: ARTIST, title: "t", startTime: T0, endTime: T0 + 1 });
    expect(sub.bookings.has("b9")).toBe(true);
    server.last.send({ type: "rejected", cmdId: acc.cmdId, error: { code: "reverted", message: "the store refused it" } });
    const err = await acc.durable.then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(CommandError);
    expect((err as CommandError).code).toBe("reverted");
    expect(sub.bookings.size).toBe(0);
  });

  it(`coalesces presence to at most ${PRESENCE_MAX_PER_SECOND} updates per second, latest state last`, async () => {
    server.onFrame = (conn, f) => {
      if (f.type === "subscribe") conn.send({ type: "snapshot", subId: f.subId, seq: 0, artists: [], bookings: [], presence: [] });
    };
    client = await connect(url, { token: "test-token" });
    const sub = client.subscribe({ kind: "tenant" });
    await sub.ready;
    const started = Date.now();
    for (let i = 0; i < 200; i++) sub.setPresence({ cursor: { x: i + 0.5, y: 0.5 } });
    const presence = () => server.last.frames.filter((f) => f.type === "presence");
    await waitFor("the latest cursor", () => {
      const last = presence().at(-1);
      return last?.type === "presence" && last.state.cursor?.x === 199.5;
    });
    const elapsed = Date.now() - started;
    expect(presence().length).toBeLessThanOrEqual(1 + Math.ceil(elapsed / (1000 / PRESENCE_MAX_PER_SECOND)));
    expect(presence().length).toBeLessThanOrEqual(3);
  });

  it("pings, and treats a connection that answers nothing as dead and reconnects", async () => {
    server.onFrame = (conn, f) => {
      // The first connection goes silent; later ones answer pings.
      if (f.type === "ping" && server.conns.indexOf(conn) > 0) conn.send({ type: "pong", nonce: f.nonce });
    };
    client = await connect(url, { token: "test-token", pingIntervalMs: 20, reconnect: { minDelayMs: 1, maxDelayMs: 5 } });
    await waitFor("a ping", () => server.conns[0]!.frames.some((f) => f.type === "ping"));
    await waitFor("a reconnect", () => server.conns.length === 2 && client!.state === "connected");
    await waitFor("pongs to keep the second connection alive", () => server.conns[1]!.frames.filter((f) => f.type === "ping").length >= 5);
    expect(server.conns.length).toBe(2);
  });

  it("a refused handshake rejects connect() and does not retry", async () => {
    let hellos = 0;
    server.onHello = (conn) => {
      hellos += 1;
      conn.send({ type: "error", error: { code: "unsupported_version", message: "protocol version 1 is not supported" } });
      conn.send({ type: "goodbye", code: "unsupported_version", reason: "unsupported protocol version" });
      conn.socket.close(1002);
    };
    const err = await connect(url, { token: "test-token", reconnect: { minDelayMs: 1, maxDelayMs: 2 } }).then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(HandshakeError);
    expect((err as HandshakeError).code).toBe("unsupported_version");
    // Proving that something does not happen needs a wait: retries would come within 2 ms.
    await new Promise((r) => setTimeout(r, 50));
    expect(hellos).toBe(1);
  });

  it("time-off commands go out as sent, and the time-off events replace the view's artist like artistUpdated", async () => {
    const artist = (timeOff: Artist["timeOff"], version: number): Artist => ({
      id: ARTIST, name: "Ada", email: null, skills: ["nuke"], timezone: "Europe/Paris", active: true, timeOff, version, createdAt: T0, updatedAt: T0,
    });
    const entry = (status: TimeOff["status"]): TimeOff => ({
      id: "01920000-0000-7000-8000-0000000000f1", start: T0, end: T0 + 86_400_000_000, kind: "vacation", status, note: "trip",
      requestedBy: "u1", decidedBy: null, decidedAt: null, createdAt: T0,
    });
    server.onFrame = (conn, f) => {
      if (f.type === "subscribe") conn.send({ type: "snapshot", subId: f.subId, seq: 1, artists: [artist([], 1)], bookings: [], presence: [] });
      if (f.type === "command") conn.send({ type: "accepted", cmdId: f.cmdId, seq: 2, result: { kind: "timeOff", timeOff: entry("requested") } });
    };
    client = await connect(url, { token: "test-token" });
    const sub = client.subscribe({ kind: "tenant" });
    await sub.ready;
    const p = client.requestTimeOff(ARTIST, { start: T0, end: T0 + 86_400_000_000, kind: "vacation", note: "trip" });
    await p;
    expect(commands(server.last.frames).at(-1)).toMatchObject({ command: { kind: "requestTimeOff", artistId: ARTIST, timeOff: { kind: "vacation", note: "trip" } } });
    const send = (seq: number, type: "timeOffRequested" | "timeOffDecided" | "timeOffCancelled", a: Artist) =>
      server.last.send({ type: "event", subIds: [sub.subId], event: { seq, cmdId: `c${seq}`, at: T0, by: "ws", event: { type, artist: a, timeOffId: entry("requested").id } } });
    send(2, "timeOffRequested", artist([entry("requested")], 2));
    await waitFor("the request", () => sub.seq === 2);
    expect(sub.artists.get(ARTIST)?.timeOff.map((e) => e.status)).toEqual(["requested"]);
    void client.decideTimeOff(entry("requested").id, "approve");
    send(3, "timeOffDecided", artist([entry("approved")], 3));
    await waitFor("the decision", () => sub.seq === 3);
    expect(sub.artists.get(ARTIST)?.timeOff.map((e) => e.status)).toEqual(["approved"]);
    void client.cancelTimeOff(entry("requested").id);
    send(4, "timeOffCancelled", artist([entry("cancelled")], 4));
    await waitFor("the cancellation", () => sub.seq === 4);
    expect(sub.artists.get(ARTIST)?.version).toBe(4);
    expect(commands(server.last.frames).map((f) => f.command.kind)).toEqual(["requestTimeOff", "decideTimeOff", "cancelTimeOff"]);
  });
});
