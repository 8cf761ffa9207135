// The inbox in the web store (web/src/store/inbox.ts), with a stand-in for the
// client and for `fetch`: events heard while the first page is on its way
// apply on top of it (each counted once); marking read shows at once and the
// answer counts off the rest; a refusal reads the list again.

import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import type { Client, ClientEvents } from "../../src/index.js";
import { loadInbox, markRead, resetInbox, watchInbox } from "../../web/src/store/inbox.js";
import { live } from "../../web/src/store/live.js";
import { initial, useBoard } from "../../web/src/store/state.js";

const T = Date.UTC(2026, 11, 4, 9) * 1000;
const MIN = 60_000_000;

function wire(id: string, minutes: number, readAt: number | null = null) {
  return { id, userId: "u1", kind: "bookingOffered" as const, title: `t${id}`, body: "b", bookingId: `b${id}`, by: "user:x", createdAt: T + minutes * MIN, readAt, email: false };
}

function rest(id: string, minutes: number) {
  return { ...wire(id, minutes), createdAt: new Date((T + minutes * MIN) / 1000).toISOString() };
}

/** Just what the inbox uses of a client: its notification events and `readNotifications`. */
class FakeClient {
  private listeners = new Map<string, ((v: never) => void)[]>();
  read = vi.fn<(ids?: string[]) => Promise<unknown>>();
  on<K extends keyof ClientEvents>(event: K, f: (v: ClientEvents[K]) => void): () => void {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), f as (v: never) => void]);
    return () => undefined;
  }
  emit<K extends keyof ClientEvents>(event: K, v: ClientEvents[K]): void {
    for (const f of this.listeners.get(event) ?? []) f(v as never);
  }
  readNotifications(ids?: string[]): Promise<unknown> {
    return this.read(ids);
  }
}

let client: FakeClient;
let answer: (body: unknown) => void;
const inbox = () => useBoard.getState().inbox;

beforeEach(() => {
  useBoard.setState({ ...initial, session: { accessToken: "tok" } as never });
  client = new FakeClient();
  live.client = client as unknown as Client;
  vi.stubGlobal(
    "fetch",
    vi.fn(() => new Promise((resolve) => (answer = (body) => resolve(new Response(JSON.stringify({ data: body }), { status: 200 }))))),
  );
});

afterEach(() => {
  resetInbox();
  live.client = undefined;
  vi.unstubAllGlobals();
});

describe("the inbox in the store", () => {
  test("events heard before and while the first page loads apply on top of it, each once", async () => {
    watchInbox(client as unknown as Client);
    client.emit("notification", wire("2", 2)); // after the view started, maybe in the page too
    const loading = loadInbox();
    expect(inbox().status).toBe("loading");
    client.emit("notification", wire("3", 3));
    client.emit("notificationsRead", { userId: "u1", ids: ["1"], readAt: T + 9 * MIN, seq: 9 });
    expect(vi.mocked(fetch).mock.calls[0]![0]).toBe("/api/v1/notifications?limit=20");
    answer({ items: [rest("2", 2), rest("1", 1)], unreadCount: 2, nextBefore: null });
    await loading;
    expect(inbox().items.map((n) => [n.id, n.readAt])).toEqual([["3", null], ["2", null], ["1", T + 9 * MIN]]);
    expect(inbox().unread).toBe(2); // 2 in the page, + "3", − "1"
    expect(inbox().status).toBe("ready");
    // Later events apply at once.
    client.emit("notification", wire("4", 4));
    expect(inbox().unread).toBe(3);
  });

  test("marking read shows at once; the answer and the event count off the rest once; a refusal reads the list again", async () => {
    watchInbox(client as unknown as Client);
    const loading = loadInbox();
    answer({ items: [rest("2", 2), rest("1", 1)], unreadCount: 5, nextBefore: "1" });
    await loading;
    client.read.mockResolvedValueOnce({ result: { kind: "read", receipt: { ids: ["2", "1", "0a", "0b"], readAt: T + 10 * MIN, unreadCount: 1 } } });
    markRead();
    expect(client.read).toHaveBeenCalledWith(undefined);
    expect(inbox().unread).toBe(3); // the two loaded at once
    await Promise.resolve();
    await Promise.resolve();
    expect(inbox().unread).toBe(1); // the answer: two more, older ones
    client.emit("notificationsRead", { userId: "u1", ids: ["2", "1", "0a", "0b"], readAt: T + 10 * MIN, seq: 11 });
    expect(inbox().unread).toBe(1);

    client.emit("notification", wire("5", 5));
    client.read.mockRejectedValueOnce(new Error("lost"));
    markRead(["5"]);
    expect(client.read).toHaveBeenLastCalledWith(["5"]);
    expect(inbox().unread).toBe(1);
    await vi.waitFor(() => expect(vi.mocked(fetch)).toHaveBeenCalledTimes(2));
    answer({ items: [rest("5", 5)], unreadCount: 2, nextBefore: null });
    await vi.waitFor(() => expect(inbox().status).toBe("ready"));
    expect(inbox().unread).toBe(2);
    expect(useBoard.getState().notices.map((n) => n.title)).toEqual(["Could not mark read"]);
  });
});
