// Dropped connections in the middle of a burst lose nothing and apply nothing
// twice: a watcher resumes from its last seq; a writer re-sends its
// unanswered commands with the same cmdId.

import { describe, expect, it } from "vitest";
import type { BookingAccepted, Client, ClientState } from "../../src/index.js";
import { newTenant, openClosedAfterEach, slot, versions, waitFor, type Studio } from "./helpers.js";

const BURST = 100;

const opened = openClosedAfterEach();
function client(tenant: Studio, slowReconnect = false): Promise<Client> {
  // A watcher that stays away a little longer, so the burst goes on without it.
  return opened(tenant, slowReconnect ? { reconnect: { minDelayMs: 200, maxDelayMs: 400 } } : {});
}

describe("reconnect", () => {
  it("a watcher dropped mid-burst resumes to exactly a fresh snapshot", async () => {
    const tenant = await newTenant();
    const a = await client(tenant, true);
    const b = await client(tenant);
    const artist = (await b.createArtist({ name: "Burst", skills: [] })).result.artist;
    const subA = a.subscribe({ kind: "tenant" });
    await subA.ready;
    const states: ClientState[] = [];
    a.on("state", (s) => states.push(s));
    const causes: string[] = [];
    subA.onChange((ch) => causes.push(ch.cause));

    const outcomes: Promise<BookingAccepted>[] = [];
    for (let i = 0; i < BURST; i++) {
      outcomes.push(b.createBooking(slot(artist.id, i, "pencil", `b-${i}`)));
      if (i === BURST / 4) {
        // Let some land while A is still here, then cut A off while B keeps writing.
        await Promise.all(outcomes);
        a._dropConnection();
        expect(a.state).toBe("reconnecting");
      }
    }
    const accepted = await Promise.all(outcomes);
    const lastSeq = Math.max(...accepted.map((x) => x.seq));

    await waitFor("A to reconnect", () => a.state === "connected");
    expect(states).toEqual(["reconnecting", "connected"]);

    const c = await client(tenant);
    const subC = c.subscribe({ kind: "tenant" });
    await subC.ready;
    expect(subC.bookings.size).toBe(BURST);
    await waitFor("A to catch up", () => subA.seq >= lastSeq);
    // Resumed, not re-snapshotted; and it missed part of the burst while away.
    expect(causes).toContain("resumed");
    expect(causes).not.toContain("snapshot");
    expect(causes.slice(causes.indexOf("resumed") + 1).filter((c) => c === "event").length).toBeGreaterThan(0);
    expect(versions(subA.bookings)).toEqual(versions(subC.bookings));
    expect(subA.bookings).toEqual(subC.bookings);
    expect(subA.artists).toEqual(subC.artists);
  });

  it("a writer dropped mid-burst re-sends its unanswered commands; each is applied exactly once", async () => {
    const tenant = await newTenant();
    const w = await client(tenant);
    const artist = (await w.createArtist({ name: "Writer", skills: [] })).result.artist;
    const subW = w.subscribe({ kind: "tenant" });
    await subW.ready;

    let answered = 0;
    let unansweredAtDrop = -1;
    const outcomes: Promise<BookingAccepted>[] = [];
    for (let i = 0; i < BURST; i++) {
      const p = w.createBooking(slot(artist.id, i, "pencil", `w-${i}`));
      void p.then(() => {
        answered += 1;
        if (answered === 10) {
          // The server has the rest in flight or queued: their answers die with the socket.
          unansweredAtDrop = w.unanswered;
          w._dropConnection();
        }
      });
      outcomes.push(p);
    }
    const accepted = await Promise.all(outcomes);
    expect(unansweredAtDrop).toBeGreaterThan(0);

    // Every command has one outcome with its own booking…
    const ids = new Set(accepted.map((x) => x.result.booking.id));
    expect(ids.size).toBe(BURST);
    // …and the studio holds exactly one booking per command, each at version 1.
    const fresh = await client(tenant);
    const snap = fresh.subscribe({ kind: "tenant" });
    await snap.ready;
    const titles = [...snap.bookings.values()].map((bk) => bk.title).sort();
    expect(titles).toEqual(Array.from({ length: BURST }, (_, i) => `w-${i}`).sort());
    expect([...snap.bookings.values()].every((bk) => bk.version === 1)).toBe(true);
    expect(new Set(snap.bookings.keys())).toEqual(ids);

    // The writer's own view converged too, with no optimistic leftovers.
    const lastSeq = Math.max(...accepted.map((x) => x.seq));
    await waitFor("the writer's view to catch up", () => subW.seq >= lastSeq && subW.pending.size === 0);
    expect(subW.bookings).toEqual(snap.bookings);
    await Promise.all(accepted.map((x) => x.durable));
  });
});
