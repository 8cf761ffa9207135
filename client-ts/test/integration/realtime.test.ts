// Commands, acknowledgements, live materialized state and optimistic
// rollback against a real pt-server.

import { describe, expect, it } from "vitest";
import { CommandError, SubscriptionError, type Change } from "../../src/index.js";
import { newTenant, open, openClosedAfterEach, slot, waitFor } from "./helpers.js";

const client = openClosedAfterEach();

describe("realtime", () => {
  it("one client books, the other sees it, and durable resolves", async () => {
    const tenant = await newTenant();
    const a = await client(tenant);
    const b = await client(tenant);
    expect(a.sessionId).not.toBe(b.sessionId);
    expect(a.tenant).toBe(tenant.tenantId);
    const subA = a.subscribe({ kind: "tenant" });
    const subB = b.subscribe({ kind: "tenant" });
    await Promise.all([subA.ready, subB.ready]);
    expect(subB.bookings.size).toBe(0);

    const { result: created } = await a.createArtist({ name: "Ada Moreau", skills: ["compositing"] });
    const artist = created.artist;
    await waitFor("B to see the artist", () => subB.artists.get(artist.id)?.name === "Ada Moreau");

    const accepted = await a.createBooking(slot(artist.id, 9, "pencil", "Comp: shot 010 — ünïcode ✓"));
    const booking = accepted.result.booking;
    expect(booking.title).toBe("Comp: shot 010 — ünïcode ✓");
    expect(booking.version).toBe(1);
    await waitFor("B to see the booking", () => subB.bookings.has(booking.id));
    expect(subB.bookings.get(booking.id)).toEqual(booking);
    expect(subB.seq).toBeGreaterThanOrEqual(accepted.seq);
    // A's own view: the server's state, no longer pending, no optimistic twin left behind.
    await waitFor("A's event", () => subA.seq >= accepted.seq);
    expect(subA.bookings.get(booking.id)).toEqual(booking);
    expect(subA.bookings.has(accepted.cmdId)).toBe(false);
    expect(subA.pending.size).toBe(0);

    const watermark = await accepted.durable;
    expect(watermark).toBeGreaterThanOrEqual(accepted.seq);
    expect(a.durableSeq).toBeGreaterThanOrEqual(accepted.seq);
  });

  it("a rejected optimistic create is shown at once, then rolled back", async () => {
    const tenant = await newTenant();
    const c = await client(tenant);
    const sub = c.subscribe({ kind: "tenant" });
    await sub.ready;
    const artist = (await c.createArtist({ name: "Ben", skills: [] })).result.artist;
    const first = await c.createBooking(slot(artist.id, 10, "confirmed", "the real one", 2));
    await waitFor("the confirmed booking", () => sub.bookings.has(first.result.booking.id));

    const changes: Change[] = [];
    sub.onChange((ch) => changes.push(ch));
    const overlapping = c.createBooking(slot(artist.id, 11, "pencil", "optimistic"));
    // Synchronously: the pencil is in the local state, marked pending, under its command id.
    expect(sub.bookings.get(overlapping.cmdId)?.title).toBe("optimistic");
    expect(sub.bookings.get(overlapping.cmdId)?.status).toBe("pencil");
    expect(sub.pending.has(overlapping.cmdId)).toBe(true);
    expect(changes.map((ch) => ch.cause)).toEqual(["optimistic"]);

    const err = await overlapping.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(CommandError);
    expect((err as CommandError).code).toBe("conflict");
    expect((err as CommandError).cmdId).toBe(overlapping.cmdId);
    // The details README.md documents: what is in the way, the nearest free
    // windows and other artists, as in the REST error body (instants as RFC 3339).
    const details = (err as CommandError).details as { conflicts: { id: string; startTime: unknown }[]; freeWindows: { start: unknown; end: unknown }[]; alternatives: unknown[] };
    expect(details.conflicts.map((b) => b.id)).toEqual([first.result.booking.id]);
    expect(typeof details.conflicts[0]!.startTime).toBe("string");
    expect(details.freeWindows.length).toBeGreaterThan(0);
    expect(Date.parse(String(details.freeWindows[0]!.end)) - Date.parse(String(details.freeWindows[0]!.start))).toBe(3_600_000);
    expect(details.alternatives).toEqual([]);
    expect(sub.bookings.has(overlapping.cmdId)).toBe(false);
    expect(sub.pending.size).toBe(0);
    expect([...sub.bookings.keys()]).toEqual([first.result.booking.id]);
    const rollback = changes.find((ch) => ch.cause === "rollback");
    expect(rollback?.bookings).toEqual([overlapping.cmdId]);
    expect(rollback?.error?.code).toBe("conflict");
  });

  it("optimistic updates: a stale version rolls back, a valid transition is replaced by the server's state", async () => {
    const tenant = await newTenant();
    const c = await client(tenant);
    const sub = c.subscribe({ kind: "tenant" });
    await sub.ready;
    const artist = (await c.createArtist({ name: "Cleo", skills: [] })).result.artist;
    const { result } = await c.createBooking(slot(artist.id, 3, "pencil", "before"));
    const id = result.booking.id;
    await waitFor("the booking", () => sub.bookings.get(id)?.version === 1);

    const stale = c.updateBooking(id, { version: 7, title: "after" });
    expect(sub.bookings.get(id)?.title).toBe("after");
    expect(sub.pending.has(id)).toBe(true);
    await expect(stale).rejects.toMatchObject({ code: "version_mismatch" });
    expect(sub.bookings.get(id)).toEqual(result.booking);
    expect(sub.pending.has(id)).toBe(false);

    const confirm = c.transitionBooking(id, 1, "confirmed");
    expect(sub.bookings.get(id)?.status).toBe("confirmed");
    expect(sub.pending.has(id)).toBe(true);
    const confirmed = await confirm;
    expect(sub.pending.has(id)).toBe(false);
    await waitFor("the server's event", () => sub.seq >= confirmed.seq);
    expect(sub.bookings.get(id)).toEqual(confirmed.result.booking);
    expect(sub.bookings.get(id)?.version).toBe(2);
  });

  it("cancelBooking and respondToBooking: the REST writes' commands over the socket", async () => {
    const tenant = await newTenant();
    const c = await client(tenant);
    const artist = (await c.createArtist({ name: "Dora", skills: [] })).result.artist;
    const offered = (await c.createBooking(slot(artist.id, 5, "pencil", "offered"))).result.booking;
    const accepted = await c.respondToBooking(offered.id, "accept");
    expect(accepted.result.booking.status).toBe("confirmed");
    const cancelled = await c.cancelBooking(offered.id);
    expect(cancelled.result.booking.status).toBe("cancelled");
    // Cancelling again changes nothing and answers the booking as it is.
    const again = await c.cancelBooking(offered.id);
    expect(again.result.booking).toEqual(cancelled.result.booking);
    await expect(c.respondToBooking(offered.id, "decline")).rejects.toMatchObject({ code: "unprocessable" });
  });

  it("views: an artist view drops a booking moved to another artist", async () => {
    const tenant = await newTenant();
    const c = await client(tenant);
    const x = (await c.createArtist({ name: "X", skills: [] })).result.artist;
    const y = (await c.createArtist({ name: "Y", skills: [] })).result.artist;
    const onX = c.subscribe({ kind: "artist", artistId: x.id });
    const onY = c.subscribe({ kind: "artist", artistId: y.id });
    await Promise.all([onX.ready, onY.ready]);
    const { result } = await c.createBooking(slot(x.id, 5, "pencil"));
    const id = result.booking.id;
    await waitFor("X's view to hold it", () => onX.bookings.has(id));
    expect(onY.bookings.has(id)).toBe(false);

    const move = c.updateBooking(id, { version: 1, artistId: y.id });
    // Optimistically: gone from X, present on Y.
    expect(onX.bookings.has(id)).toBe(false);
    expect(onY.bookings.get(id)?.artistId).toBe(y.id);
    const moved = await move;
    await waitFor("both views to catch up", () => onX.seq >= moved.seq && onY.seq >= moved.seq);
    expect(onX.bookings.has(id)).toBe(false);
    expect(onY.bookings.get(id)).toEqual(moved.result.booking);
  });

  it("a hello with an unsupported protocol version is refused without reconnecting", async () => {
    // A socket wrapper that rewrites the protocol version of the first frame.
    const { WebSocket } = await import("ws");
    const { decodeClientFrame, encode, HandshakeError } = await import("../../src/index.js");
    let sockets = 0;
    class OldVersion extends WebSocket {
      constructor(url: string) {
        super(url);
        sockets += 1;
      }
      override send(data: Uint8Array): void {
        const frame = decodeClientFrame(data);
        super.send(frame.type === "hello" ? encode({ ...frame, protocolVersion: 999 }) : data);
      }
    }
    const err = await open(await newTenant(), { WebSocket: OldVersion as never }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(HandshakeError);
    expect((err as InstanceType<typeof HandshakeError>).code).toBe("unsupported_version");
    expect(sockets).toBe(1);
  });

  it("a refused subscription rejects its ready with the server's reason", async () => {
    const c = await client(await newTenant());
    const bad = c.subscribe({ kind: "window", artistIds: [], range: { start: 10, end: 5 } });
    const error = await bad.ready.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(SubscriptionError);
    expect((error as SubscriptionError).code).toBe("invalid");
    // The connection goes on.
    const good = c.subscribe({ kind: "tenant" });
    await good.ready;
  });
});
