// The signed-in user's notifications: the first page at sign-in
// (`GET /notifications`), then live from the client's `notification` and
// `notificationsRead` events (this tab's reads and the other tabs'), older
// pages on demand, marking read (the `readNotifications` command), and
// opening one: its booking on the board (`reveal.ts`). How each of these
// changes the list and the count: the pure `inbox/model.ts`.

import type { Client } from "../../../src/index.js";
import { apiCall, errorMessage, query } from "../api.js";
import { fromPage, jobPageOf, unreadIds, withCreated, withOlder, withRead, type Inbox } from "../inbox/model.js";
import { NotificationPage, type Notification } from "../rest.js";
import { navigate } from "../router.js";
import { live } from "./live.js";
import { notify } from "./notices.js";
import { revealBooking } from "./reveal.js";
import { get, set } from "./state.js";

/** Notifications per page. */
const PAGE = 20;

/** Changes heard while the first page is on its way: applied on top of it. */
let heldBack: ((inbox: Inbox) => Inbox)[] | undefined;
let loading: Promise<void> | undefined;
/** Bumped at sign-out: answers meant for an earlier session are dropped. */
let epoch = 0;

function update(change: (inbox: Inbox) => Inbox): void {
  if (heldBack) heldBack.push(change);
  else set({ inbox: change(get().inbox) });
}

/**
 * Listens to `c`'s notification events (before its views start: they carry
 * them), held back until the first page (`loadInbox`) is in.
 */
export function watchInbox(c: Client): void {
  heldBack = [];
  set({ inbox: { ...get().inbox, status: "loading" } });
  c.on("notification", (n) => update((inbox) => withCreated(inbox, n)));
  c.on("notificationsRead", (r) => update((inbox) => withRead(inbox, r.ids, r.readAt)));
}

/**
 * Reads the newest page and the unread count (again: the list starts over
 * from it). At sign-in, once the first view is live: every notification after
 * the page then arrives as an event (one already in the page is not counted twice).
 */
export function loadInbox(): Promise<void> {
  if (!loading) {
    const p: Promise<void> = firstPage().finally(() => {
      if (loading === p) loading = undefined;
    });
    loading = p;
  }
  return loading;
}

async function firstPage(): Promise<void> {
  const mine = epoch;
  heldBack ??= [];
  set({ inbox: { ...get().inbox, status: "loading" } });
  let next: Inbox;
  try {
    next = fromPage(await apiCall("GET", `/notifications${query({ limit: PAGE })}`, NotificationPage));
  } catch {
    next = { ...get().inbox, status: "failed" };
  }
  if (mine !== epoch) return;
  for (const change of heldBack) next = change(next);
  heldBack = undefined;
  set({ inbox: next });
}

/** The next older page, below those loaded. */
export async function loadOlder(): Promise<void> {
  const { inbox } = get();
  if (inbox.nextBefore === null || inbox.status !== "ready") return;
  const mine = epoch;
  set({ inbox: { ...inbox, status: "older" } });
  try {
    const page = await apiCall("GET", `/notifications${query({ before: inbox.nextBefore, limit: PAGE })}`, NotificationPage);
    if (mine === epoch) set({ inbox: { ...withOlder(get().inbox, page), status: "ready" } });
  } catch (e) {
    if (mine !== epoch) return;
    set({ inbox: { ...get().inbox, status: "ready" } });
    notify({ tone: "error", title: "Could not load older notifications", message: errorMessage(e) });
  }
}

/**
 * Marks `ids` read, or without them every unread one: those loaded show read
 * at once; the answer (and the event every tab of this user hears) counts off
 * the rest. Refused or lost: the list is read again.
 */
export function markRead(ids?: readonly string[]): void {
  const c = live.client;
  if (!c) return;
  const now = Date.now() * 1000;
  const mine = epoch;
  update((inbox) => withRead(inbox, ids ?? unreadIds(inbox), now));
  c.readNotifications(ids === undefined ? undefined : [...ids]).then(
    (a) => mine === epoch && update((inbox) => withRead(inbox, a.result.receipt.ids, a.result.receipt.readAt)),
    (e: unknown) => {
      if (mine !== epoch) return;
      notify({ tone: "error", title: "Could not mark read", message: errorMessage(e) });
      void loadInbox();
    },
  );
}

/** A click on a notification: read, and its booking shown on the board (or, about a job, its Jobs page). */
export function openNotification(n: Notification): void {
  if (n.readAt === null) markRead([n.id]);
  const jobs = jobPageOf(n, get().session?.role);
  if (jobs) navigate(jobs);
  else if (n.bookingId) void revealBooking(n.bookingId);
}

/** Forgets the inbox's work in progress (signed out; the state is reset with the rest). */
export function resetInbox(): void {
  epoch++;
  heldBack = undefined;
  loading = undefined;
}
