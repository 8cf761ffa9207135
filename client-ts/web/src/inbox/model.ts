// The inbox, pure: the signed-in user's notifications as far as they are
// loaded (newest first, one per id), the unread count — all of them, not
// only those loaded — and how each change applies to both.
//
// The count starts at the server's (`GET /notifications`) and then moves with
// the events, exactly once per notification: a `notificationCreated` already
// here changes nothing (a replay, or one the page had already); a
// `notificationsRead` counts off only ids not already read here. Ids read
// that are not loaded (an older page) are remembered in `readElsewhere`, so
// the same read heard twice (this tab's answer and the event, another tab's
// event) counts once, and a page loaded later shows them read.

import type { Notification, NotificationPage } from "../rest.js";
import type { Route } from "../router.js";

/** `older`: ready, and an older page is on its way. */
export type InboxStatus = "idle" | "loading" | "ready" | "older" | "failed";

export interface Inbox {
  /** Loaded, newest first, one per id. */
  items: readonly Notification[];
  /** Every unread notification of the user's (not only the loaded ones). */
  unread: number;
  /** `before` of the next (older) page; null when there is none. */
  nextBefore: string | null;
  /** Read and counted off, but not among `items`: id → when. */
  readElsewhere: ReadonlyMap<string, number>;
  status: InboxStatus;
}

export const EMPTY_INBOX: Inbox = { items: [], unread: 0, nextBefore: null, readElsewhere: new Map(), status: "idle" };

/** Newest first; the same instant by id, larger (later UUID v7) first. */
function newestFirst(a: Notification, b: Notification): number {
  return b.createdAt - a.createdAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
}

/** The first page, as the server answered it. */
export function fromPage(page: NotificationPage): Inbox {
  return { items: dedupe(page.items), unread: page.unreadCount, nextBefore: page.nextBefore, readElsewhere: new Map(), status: "ready" };
}

function dedupe(items: readonly Notification[]): Notification[] {
  const seen = new Set<string>();
  return items.filter((n) => !seen.has(n.id) && (seen.add(n.id), true)).sort(newestFirst);
}

/** A notification heard live: at its place (the top, normally), counted if unread; already here, nothing changes. */
export function withCreated(inbox: Inbox, n: Notification): Inbox {
  if (inbox.items.some((x) => x.id === n.id)) return inbox;
  const elsewhere = inbox.readElsewhere.get(n.id);
  if (elsewhere !== undefined) {
    // Read (and counted off) before it was heard of: it shows read, and is counted no more.
    const readElsewhere = new Map(inbox.readElsewhere);
    readElsewhere.delete(n.id);
    const items = [...inbox.items, { ...n, readAt: n.readAt ?? elsewhere }].sort(newestFirst);
    return { ...inbox, items, readElsewhere };
  }
  const items = [...inbox.items, n].sort(newestFirst);
  return { ...inbox, items, unread: inbox.unread + (n.readAt === null ? 1 : 0) };
}

/** These were read at `readAt`: each one not already read here is counted off, once. */
export function withRead(inbox: Inbox, ids: readonly string[], readAt: number): Inbox {
  const todo = new Set(ids);
  if (todo.size === 0) return inbox;
  let counted = 0;
  const items = inbox.items.map((n) => {
    if (!todo.has(n.id)) return n;
    todo.delete(n.id);
    if (n.readAt !== null) return n;
    counted++;
    return { ...n, readAt };
  });
  let readElsewhere = inbox.readElsewhere;
  for (const id of todo) {
    if (readElsewhere.has(id)) continue;
    if (readElsewhere === inbox.readElsewhere) readElsewhere = new Map(readElsewhere);
    (readElsewhere as Map<string, number>).set(id, readAt);
    counted++;
  }
  if (counted === 0) return inbox;
  return { ...inbox, items, readElsewhere, unread: Math.max(0, inbox.unread - counted) };
}

/** The loaded ones still unread (what "Mark all read" marks here at once). */
export function unreadIds(inbox: Inbox): string[] {
  return inbox.items.filter((n) => n.readAt === null).map((n) => n.id);
}

/**
 * An older page (`before` the last one loaded) added below: ones already here
 * are kept as they are, ones read here meanwhile show read. The count stays:
 * the older ones were in it from the start.
 */
export function withOlder(inbox: Inbox, page: NotificationPage): Inbox {
  const have = new Set(inbox.items.map((n) => n.id));
  let readElsewhere = inbox.readElsewhere;
  const added: Notification[] = [];
  for (const n of page.items) {
    if (have.has(n.id)) continue;
    have.add(n.id);
    const readAt = readElsewhere.get(n.id);
    if (readAt !== undefined) {
      if (readElsewhere === inbox.readElsewhere) readElsewhere = new Map(readElsewhere);
      (readElsewhere as Map<string, number>).delete(n.id);
    }
    added.push(readAt !== undefined && n.readAt === null ? { ...n, readAt } : n);
  }
  return { ...inbox, items: [...inbox.items, ...added].sort(newestFirst), nextBefore: page.nextBefore, readElsewhere };
}

/** Whether `n` is unread. */
export function isUnread(n: Notification): boolean {
  return n.readAt === null;
}

/**
 * The Jobs page a job notification opens (undefined: not about a job, or a
 * studio's notification about a booking, shown on the board): an applicant's
 * step → My applications; an invitation to apply → the studio's listings; a
 * matching public job → the job board; an owner's or manager's news of an
 * application → the studio's listings.
 */
export function jobPageOf(n: Pick<Notification, "kind" | "bookingId">, role: string | undefined): Route | undefined {
  const applicant = role === "freelancer";
  switch (n.kind) {
    case "applicationChanged":
      if (applicant) return { page: "jobs", tab: "applications" };
      return n.bookingId ? undefined : { page: "jobs", tab: "studio" };
    case "jobInvited":
      return { page: "jobs", tab: "studio" };
    case "jobMatched":
      return { page: "jobs", tab: "board" };
    default:
      return undefined;
  }
}
