// The two ways the board starts its views (`web/src/store/window.ts`,
// `roster.ts`), against a scripted fake server: a view started at a `seq`
// without a snapshot, and a view subscribed while a command is unanswered.

import { afterEach, beforeEach, expect, it } from "vitest";
import { connect, type Client } from "../../src/index.js";
import type { Booking } from "../../src/generated/Booking.js";
import type { ClientFrame } from "../../src/generated/ClientFrame.js";
import { FakeServer, waitFor } from "./fake-server.js";

const ARTIST = "01920000-0000-7000-8000-0000000000a1";
const T0 = 1_798_761_600_000_000;
const HOUR = 3_600_000_000;

function booking(id: string, over: Partial<Booking> = {}): Booking {
  return {
    id, artistId: ARTIST, projectId: null, title: "t", notes: null, startTime: T0, endTime: T0 + HOUR,
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

const subscribes = (frames: ClientFrame[]) => frames.filter((f): f is Extract<ClientFrame, { type: "subscribe" }> => f.type === "subscribe");

it("a view started at a seq asks for no snapshot, applies only later events, and resumes from its own seq", async () => {
  server.onFrame = (conn, f) => {
    if (f.type === "subscribe") conn.send({ type: "resumed", subId: f.subId, seq: f.resumeFromSeq ?? 0, presence: [] });
  };
  client = await connect(url, { token: "t", reconnect: { minDelayMs: 1, maxDelayMs: 5 } });
  const sub = client.subscribe({ kind: "tenant" }, { fromSeq: 7 });
  await sub.ready;
  expect(subscribes(server.conns[0]!.frames)).toEqual([{ type: "subscribe", subId: sub.subId, view: { kind: "tenant" }, resumeFromSeq: 7 }]);
  const event = (seq: number, title: string) => ({ type: "event" as const, subIds: [sub.subId], event: { seq, cmdId: `c${seq}`, at: T0, by: "ws", event: { type: "bookingUpdated" as const, booking: booking("b1", { title, version: seq }) } } });
  server.last.send(event(7, "already known"));
  server.last.send(event(8, "new"));
  await waitFor("the event after the start", () => sub.seq === 8);
  expect(sub.bookings.get("b1")?.title).toBe("new");
  client._dropConnection();
  await waitFor("the resume", () => server.conns.length === 2 && subscribes(server.conns[1]!.frames).length === 1);
  expect(subscribes(server.conns[1]!.frames)[0]).toMatchObject({ subId: sub.subId, resumeFromSeq: 8 });
});

it("a view subscribed while a command is unanswered shows its optimistic change over the snapshot until the event", async () => {
  let seq = 1;
  server.onFrame = (conn, f) => {
    if (f.type === "subscribe") conn.send({ type: "snapshot", subId: f.subId, seq, artists: [], bookings: [booking("b1")], presence: [] });
  };
  client = await connect(url, { token: "t" });
  const first = client.subscribe({ kind: "window", artistIds: [ARTIST], range: { start: T0 - 24 * HOUR, end: T0 + 24 * HOUR } });
  await first.ready;
  const p = client.updateBooking("b1", { version: 1, startTime: T0 + 2 * HOUR, endTime: T0 + 3 * HOUR });
  await waitFor("the command to reach the server", () => server.last.frames.some((f) => f.type === "command"));
  // The board scrolls: a new window, while the move is still unanswered.
  const second = client.subscribe({ kind: "window", artistIds: [ARTIST], range: { start: T0, end: T0 + 48 * HOUR } });
  await second.ready;
  expect(second.bookings.get("b1")?.startTime).toBe(T0 + 2 * HOUR);
  expect(second.pending.has("b1")).toBe(true);
  // Accepted, then its event: the new window shows the server's state, nothing pending.
  const moved = booking("b1", { startTime: T0 + 2 * HOUR, endTime: T0 + 3 * HOUR, version: 2 });
  seq = 2;
  server.last.send({ type: "accepted", cmdId: p.cmdId, seq: 2, result: { kind: "booking", booking: moved } });
  server.last.send({ type: "event", subIds: [first.subId, second.subId], event: { seq: 2, cmdId: p.cmdId, at: T0, by: "ws", event: { type: "bookingUpdated", booking: moved } } });
  await p;
  await waitFor("the event", () => second.seq === 2);
  expect(second.bookings.get("b1")).toEqual(moved);
  expect(second.pending.size).toBe(0);
});
