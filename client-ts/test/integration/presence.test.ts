// Presence in a view: joins, state (cursor), coalesced updates, leaves.

import { afterEach, describe, expect, it } from "vitest";
import type { Client } from "../../src/index.js";
import { newTenant, open, waitFor, type Studio } from "./helpers.js";

const clients: Client[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
});

describe("presence", () => {
  it("two clients in one view see each other's join, cursor and leave", async () => {
    const tenant = await newTenant();
    const p = await open(tenant);
    const q = await open(tenant);
    clients.push(p, q);
    const subP = p.subscribe({ kind: "tenant" });
    await subP.ready;
    const subQ = q.subscribe({ kind: "tenant" });
    await subQ.ready;

    await waitFor("each to see the other join", () => subQ.presence.has(p.sessionId) && subP.presence.has(q.sessionId));

    subP.setPresence({ name: "Pia", lookingAt: "week 10", cursor: { x: 412.5, y: 96.25 } });
    await waitFor("Q to see P's cursor", () => subQ.presence.get(p.sessionId)?.cursor?.x === 412.5);
    expect(subQ.presence.get(p.sessionId)).toEqual({ name: "Pia", lookingAt: "week 10", cursor: { x: 412.5, y: 96.25 } });

    // A drag: many updates in a burst; the latest state wins.
    for (let i = 0; i < 100; i++) subP.setPresence({ name: "Pia", cursor: { x: i + 0.5, y: 1.5 } });
    await waitFor("Q to see the last cursor", () => subQ.presence.get(p.sessionId)?.cursor?.x === 99.5);

    subQ.setPresence({ name: "Quinn", cursor: { x: 0.5, y: 0.5 } });
    await waitFor("P to see Q's cursor", () => subP.presence.get(q.sessionId)?.name === "Quinn");

    await p.close();
    await waitFor("Q to see P leave", () => !subQ.presence.has(p.sessionId));
    expect(subQ.presence.has(q.sessionId) || subQ.presence.size === 0).toBe(true);
  });

  it("a client that reconnects takes its presence along under its new session", async () => {
    const tenant = await newTenant();
    const p = await open(tenant);
    const q = await open(tenant);
    clients.push(p, q);
    const subP = p.subscribe({ kind: "tenant" });
    const subQ = q.subscribe({ kind: "tenant" });
    await Promise.all([subP.ready, subQ.ready]);
    subP.setPresence({ name: "Pia" });
    const before = p.sessionId;
    await waitFor("Q to see Pia", () => subQ.presence.get(before)?.name === "Pia");

    p._dropConnection();
    await waitFor("P to come back", () => p.state === "connected" && p.sessionId !== before);
    await waitFor("Q to see Pia under the new session", () => subQ.presence.get(p.sessionId)?.name === "Pia");
  });
});
