// The inbox's state (web/src/inbox/model.ts): the count starts at the
// server's and moves once per notification — created (deduped by id), read
// here, in another tab, or both heard twice — and older pages merge below;
// the REST schema reads RFC 3339 instants as the WebSocket's microseconds.

import { describe, expect, test } from "vitest";
import { EMPTY_INBOX, fromPage, unreadIds, withCreated, withOlder, withRead, type Inbox } from "../../web/src/inbox/model.js";
import { NotificationPage, type Notification } from "../../web/src/rest.js";
import { agoText } from "../../web/src/time.js";

const MIN = 60_000_000;
const T = Date.UTC(2026, 11, 4, 9) * 1000;

function n(id: string, minutes: number, readAt: number | null = null): Notification {
  return { id, userId: "u1", kind: "bookingOffered", title: `t${id}`, body: "b", bookingId: `b${id}`, artistId: "a1", by: "user:x", createdAt: T + minutes * MIN, readAt };
}

/** A first page: `items` (any order), `unreadCount` and `nextBefore` as given. */
function page(items: Notification[], unreadCount: number, nextBefore: string | null = null): Inbox {
  return fromPage({ items, unreadCount, nextBefore });
}

const ids = (i: Inbox) => i.items.map((x) => x.id);

describe("the inbox's count and list", () => {
  test("the first page gives the list, newest first, and the server's count (also of those not loaded)", () => {
    const i = page([n("2", 2), n("3", 3), n("1", 1, T)], 7, "1");
    expect(ids(i)).toEqual(["3", "2", "1"]);
    expect(i.unread).toBe(7);
    expect(i.nextBefore).toBe("1");
    expect(i.status).toBe("ready");
    expect(unreadIds(i)).toEqual(["3", "2"]);
  });

  test("a created one goes on top and counts; heard again (a replay, or already in the page) it changes nothing", () => {
    const i = withCreated(page([n("1", 1)], 1), n("2", 2));
    expect(ids(i)).toEqual(["2", "1"]);
    expect(i.unread).toBe(2);
    expect(withCreated(i, n("2", 2))).toBe(i);
    expect(withCreated(i, n("1", 1))).toBe(i);
    // One created read (another tab read it before this one heard of it) does not count.
    expect(withCreated(i, n("3", 3, T)).unread).toBe(2);
  });

  test("a read counts each id off once: heard twice (this tab's answer and the event), or already read", () => {
    let i = page([n("1", 1), n("2", 2), n("3", 3, T)], 5);
    i = withRead(i, ["1", "3"], T + MIN);
    expect(i.unread).toBe(4);
    expect(i.items.find((x) => x.id === "1")?.readAt).toBe(T + MIN);
    expect(i.items.find((x) => x.id === "3")?.readAt).toBe(T); // it was read already: unchanged
    expect(withRead(i, ["1"], T + 2 * MIN)).toBe(i);
    expect(withRead(i, [], T)).toBe(i);
  });

  test("ids read that are not loaded count off once, and show read when their page comes", () => {
    let i = page([n("5", 5)], 3, "5");
    i = withRead(i, ["1", "5"], T + MIN); // "Mark all read": "1" is on an older page
    expect(i.unread).toBe(1);
    expect(withRead(i, ["1"], T + MIN)).toBe(i); // the event after the answer
    i = withOlder(i, { items: [n("5", 5), n("1", 1), n("2", 2)], unreadCount: 1, nextBefore: null });
    expect(ids(i)).toEqual(["5", "2", "1"]);
    expect(i.items.map((x) => x.readAt)).toEqual([T + MIN, null, T + MIN]);
    expect(i.unread).toBe(1);
    expect(i.nextBefore).toBeNull();
    expect(i.readElsewhere.size).toBe(0);
  });

  test("an older page merges below without duplicates and keeps this tab's reads and the live count", () => {
    let i = page([n("4", 4), n("3", 3)], 4, "3");
    i = withCreated(i, n("6", 6));
    i = withRead(i, ["3"], T + 10 * MIN);
    // The page was read before the live changes: its own copy of "3" is stale.
    i = withOlder(i, { items: [n("3", 3), n("2", 2), n("1", 1)], unreadCount: 4, nextBefore: "1" });
    expect(ids(i)).toEqual(["6", "4", "3", "2", "1"]);
    expect(i.items.find((x) => x.id === "3")?.readAt).toBe(T + 10 * MIN);
    expect(i.unread).toBe(4);
    expect(i.nextBefore).toBe("1");
  });

  test("the count never goes below zero", () => {
    expect(withRead({ ...EMPTY_INBOX, status: "ready" }, ["x"], T).unread).toBe(0);
  });
});

describe("the REST answer", () => {
  test("RFC 3339 instants read as microseconds, like the WebSocket's", () => {
    const rest = {
      items: [{ id: "1", userId: "u1", kind: "holdPromoted", title: "Your hold moved up to 1st", body: "b", bookingId: "b1", by: "user:x", createdAt: "2026-12-04T09:00:00Z", readAt: null }],
      unreadCount: 1,
      nextBefore: null,
    };
    const parsed = NotificationPage.parse(rest);
    expect(parsed.items[0]!.createdAt).toBe(T);
    expect(parsed.items[0]!.readAt).toBeNull();
    expect(NotificationPage.parse({ ...rest, items: [{ ...rest.items[0], readAt: "2026-12-04T09:01:00Z" }] }).items[0]!.readAt).toBe(T + MIN);
  });
});

describe("agoText", () => {
  test("minutes, hours and days ago, then the date", () => {
    expect(agoText(T, T + 30_000_000)).toBe("just now");
    expect(agoText(T, T + 5 * MIN)).toBe("5 min ago");
    expect(agoText(T, T + 3 * 60 * MIN)).toBe("3 h ago");
    expect(agoText(T, T + 2 * 24 * 60 * MIN)).toBe("2 d ago");
    expect(agoText(T, T + 9 * 24 * 60 * MIN)).toMatch(/2026/);
  });
});
