// Notification events against a fake server: not a view's state (the view
// only moves its `seq`), passed on once as the client's `notification` and
// `notificationsRead` (also when a reconnect replays them on every resuming
// subscription), and the `readNotifications` command.

import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { connect, isNotificationEvent, type Change, type Client, type Notification, type NotificationsRead } from "../../src/index.js";
import type { Booking } from "../../src/generated/Booking.js";
import type { ClientFrame } from "../../src/generated/ClientFrame.js";
import type { EventEnvelope } from "../../src/generated/EventEnvelope.js";
import { FakeServer, type FakeConn, waitFor } from "./fake-server.js";

const ARTIST = "01920000-0000-7000-8000-0000000000a1";
const USER = "01920000-0000-7000-8000-0000000000u1";
const T0 = 1_798_761_600_000_000;

function booking(id: string): Booking {
  return {
    id, artistId: ARTIST, projectId: null, title: "t", notes: null, startTime: T0, endTime: T0 + 3_600_000_000,
    status: "hold", expiresAt: null, version: 1, createdAt: T0, createdBy: "api", updatedAt: T0, updatedBy: "api",
  };
}

function notification(id: string, over: Partial<Notification> = {}): Notification {
  return { id, userId: USER, kind: "holdPromoted", title: "Your hold moved up to 1st", body: "“t” for Ada", bookingId: "b1", artistId: ARTIST, by: "user:x", createdAt: T0, readAt: null, email: false, ...over };
}

function created(seq: number, n: Notification): EventEnvelope {
  return { seq, cmdId: `c${seq}`, at: T0, by: "user:x", event: { type: "notificationCreated", notification: n } };
}

function read(seq: number, ids: string[]): EventEnvelope {
  return { seq, cmdId: `c${seq}`, at: T0, by: `user:${USER}`, event: { type: "notificationsRead", userId: USER, ids, readAt: T0 + seq } };
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

/** Records what the client emits. */
function listen(c: Client): { created: Notification[]; read: NotificationsRead[] } {
  const out = { created: [] as Notification[], read: [] as NotificationsRead[] };
  c.on("notification", (n) => out.created.push(n));
  c.on("notificationsRead", (r) => out.read.push(r));
  return out;
}

const send = (conn: FakeConn, subIds: number[], event: EventEnvelope) => conn.send({ type: "event", subIds, event });

describe("notification events", () => {
  it("reach the application once and leave the view's state alone (its seq moves past them)", async () => {
    server.onFrame = (conn, f) => {
      if (f.type === "subscribe") conn.send({ type: "snapshot", subId: f.subId, seq: 3, artists: [], bookings: [booking("b1")], presence: [] });
    };
    client = await connect(url, { token: "t" });
    const got = listen(client);
    const sub = client.subscribe({ kind: "artist", artistId: ARTIST });
    await sub.ready;
    const changes: Change[] = [];
    sub.onChange((c) => changes.push(c));
    const conn = server.last;
    send(conn, [sub.subId], created(4, notification("n1")));
    send(conn, [sub.subId], created(4, notification("n1"))); // the same seq again: not twice
    send(conn, [sub.subId], read(5, ["n1"]));
    await waitFor("both events", () => got.read.length === 1);
    expect(got.created).toEqual([notification("n1")]);
    expect(got.read).toEqual([{ userId: USER, ids: ["n1"], readAt: T0 + 5, seq: 5 }]);
    expect(sub.seq).toBe(5);
    expect(changes).toEqual([]);
    expect([...sub.bookings.keys()]).toEqual(["b1"]);
    expect(sub.artists.size).toBe(0);
    expect(sub.projects.size).toBe(0);
  });

  it("a reconnect that replays them on every resuming subscription passes each on once", async () => {
    server.onFrame = (conn, f) => {
      if (f.type !== "subscribe") return;
      if (f.resumeFromSeq === undefined) {
        conn.send({ type: "snapshot", subId: f.subId, seq: 3, artists: [], bookings: [], presence: [] });
        return;
      }
      // As pt-server does: every resuming subscription gets the user's notification events after its seq.
      const missed = [created(4, notification("n1")), created(6, notification("n2")), read(7, ["n1"])].filter((e) => e.seq > f.resumeFromSeq!);
      conn.send({ type: "resumed", subId: f.subId, seq: 7, presence: [] });
      for (const e of missed) send(conn, [f.subId], e);
    };
    client = await connect(url, { token: "t", reconnect: { minDelayMs: 1, maxDelayMs: 5 } });
    const got = listen(client);
    const a = client.subscribe({ kind: "tenant" });
    const b = client.subscribe({ kind: "artist", artistId: ARTIST });
    await Promise.all([a.ready, b.ready]);
    send(server.last, [a.subId], created(4, notification("n1"))); // live, on the oldest subscription
    await waitFor("n1", () => got.created.length === 1);
    client._dropConnection();
    await waitFor("the replays", () => server.conns.length === 2 && got.read.length === 1);
    await new Promise((r) => setTimeout(r, 30)); // b's replays, if they were to come through
    expect(got.created.map((n) => n.id)).toEqual(["n1", "n2"]);
    expect(got.read.map((r) => r.ids)).toEqual([["n1"]]);
    expect([a.seq, b.seq]).toEqual([7, 7]);
  });

  it("readNotifications sends the command and resolves with the receipt; no view changes", async () => {
    const commands: Extract<ClientFrame, { type: "command" }>[] = [];
    server.onFrame = (conn, f) => {
      if (f.type === "subscribe") conn.send({ type: "snapshot", subId: f.subId, seq: 1, artists: [], bookings: [booking("b1")], presence: [] });
      if (f.type === "command") {
        commands.push(f);
        const ids = f.command.kind === "readNotifications" ? (f.command.ids ?? ["n1", "n2"]) : [];
        conn.send({ type: "accepted", cmdId: f.cmdId, seq: 2 + commands.length, result: { kind: "read", receipt: { ids, readAt: T0, unreadCount: 0 } } });
      }
    };
    client = await connect(url, { token: "t" });
    const sub = client.subscribe({ kind: "tenant" });
    await sub.ready;
    const changes: Change[] = [];
    sub.onChange((c) => changes.push(c));
    const one = await client.readNotifications(["n1"]);
    expect(one.result).toEqual({ kind: "read", receipt: { ids: ["n1"], readAt: T0, unreadCount: 0 } });
    const all = await client.readNotifications();
    expect(all.result.receipt.ids).toEqual(["n1", "n2"]);
    expect(commands.map((c) => c.command)).toEqual([{ kind: "readNotifications", ids: ["n1"] }, { kind: "readNotifications" }]);
    expect(changes.filter((c) => c.cause !== "accepted")).toEqual([]);
    expect(sub.pending.size).toBe(0);
  });

  it("isNotificationEvent tells them from the view events", () => {
    expect(isNotificationEvent(created(1, notification("n1")).event)).toBe(true);
    expect(isNotificationEvent(read(1, []).event)).toBe(true);
    expect(isNotificationEvent({ type: "bookingCreated", booking: booking("b1") })).toBe(false);
  });
});
