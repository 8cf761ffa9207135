// The inbox, opened by the bell: the newest notifications first (title, body,
// how long ago; the unread ones marked, in words too), new ones appearing at
// the top as they are heard; "Mark all read"; "Show older" pages back;
// "Settings" opens where each kind of notification goes (`Bell.tsx`).
// A click (or Enter) on one marks it read and opens its booking on the board
// (one about a job: its Jobs page).
// The focus goes to the first notification; ↑/↓, Home and End move it
// between them; Escape closes.

import { useEffect, useRef, useState, type KeyboardEvent } from "react";
import { useShallow } from "zustand/react/shallow";
import type { Notification } from "../rest.js";
import * as store from "../store.js";
import { useBoard } from "../store.js";
import { agoText, expiryText, US_PER_MS } from "../time.js";
import { jobPageOf } from "./model.js";

interface Props {
  /** Closes the inbox; `refocus`: the focus goes back to the bell. */
  onClose: (refocus: boolean) => void;
  /** Closes the inbox and opens the notification settings. */
  onSettings: () => void;
}

/** Now (µs), every 30 seconds while the inbox is open. */
function useNow(): number {
  const [now, setNow] = useState(() => Date.now() * US_PER_MS);
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now() * US_PER_MS), 30_000);
    return () => clearInterval(t);
  }, []);
  return now;
}

export function InboxPanel({ onClose, onSettings }: Props) {
  const { items, unread, nextBefore, status } = useBoard(
    useShallow((st) => ({ items: st.inbox.items, unread: st.inbox.unread, nextBefore: st.inbox.nextBefore, status: st.inbox.status })),
  );
  const now = useNow();
  const root = useRef<HTMLElement>(null);

  // Into the inbox when it opens: the newest notification, else the inbox itself.
  useEffect(() => {
    (root.current?.querySelector<HTMLElement>(".inbox__item") ?? root.current)?.focus();
  }, []);

  const onKeyDown = (e: KeyboardEvent<HTMLElement>) => {
    if (e.key === "Escape") {
      e.stopPropagation();
      onClose(true);
      return;
    }
    const list = [...(root.current?.querySelectorAll<HTMLElement>(".inbox__item") ?? [])];
    const at = list.indexOf(document.activeElement as HTMLElement);
    const to = e.key === "ArrowDown" ? at + 1 : e.key === "ArrowUp" ? at - 1 : e.key === "Home" ? 0 : e.key === "End" ? list.length - 1 : undefined;
    if (to === undefined || at < 0 || list.length === 0) return;
    e.preventDefault();
    list[Math.max(0, Math.min(list.length - 1, to))]!.focus();
  };

  const role = useBoard((st) => st.session?.role);
  const open = (n: Notification) => {
    store.openNotification(n);
    // Its booking takes the focus once the board has drawn it; a job's page opens under the inbox.
    if (n.bookingId || jobPageOf(n, role)) onClose(false);
  };

  return (
    <section id="inbox" ref={root} className="inbox" role="dialog" aria-label="Notifications" tabIndex={-1} onKeyDown={onKeyDown} data-testid="inbox">
      <header className="inbox__head">
        <h2>Notifications</h2>
        <span className="muted small">{unread > 0 ? `${unread} unread` : "All read"}</span>
        <button type="button" className="link" disabled={unread === 0} onClick={() => store.markRead()} data-testid="read-all">
          Mark all read
        </button>
        <button type="button" className="link" aria-haspopup="dialog" onClick={onSettings} data-testid="inbox-settings">
          Settings
        </button>
      </header>
      {status === "failed" ? (
        <p className="inbox__note" role="alert">
          The notifications could not be loaded.{" "}
          <button type="button" className="link" onClick={() => void store.loadInbox()}>
            Try again
          </button>
        </p>
      ) : status === "loading" && items.length === 0 ? (
        <p className="inbox__note muted" role="status">
          Loading…
        </p>
      ) : items.length === 0 ? (
        <p className="inbox__note muted">Nothing yet: you are told here when someone changes a booking of yours.</p>
      ) : null}
      {items.length > 0 ? (
        <ul className="inbox__list" aria-label="Newest first">
          {items.map((n) => (
            <Item key={n.id} n={n} now={now} onOpen={open} />
          ))}
        </ul>
      ) : null}
      {nextBefore !== null && items.length > 0 ? (
        <p className="inbox__more">
          <button type="button" disabled={status === "older"} onClick={() => void store.loadOlder()} data-testid="inbox-older">
            {status === "older" ? "Loading…" : "Show older"}
          </button>
        </p>
      ) : null}
    </section>
  );
}

function Item({ n, now, onOpen }: { n: Notification; now: number; onOpen: (n: Notification) => void }) {
  const unread = n.readAt === null;
  return (
    <li className={`inbox__entry${unread ? " inbox__entry--unread" : ""}`} data-testid="inbox-item" data-id={n.id} data-unread={unread} data-kind={n.kind}>
      <button type="button" className="inbox__item" onClick={() => onOpen(n)}>
        <span className="inbox__title">
          {unread ? <span className="inbox__dot" aria-hidden="true" /> : null}
          {n.title}
          {unread ? <span className="visually-hidden"> (unread)</span> : null}
        </span>
        <span className="inbox__body">{n.body}</span>
        <time className="inbox__time" dateTime={new Date(n.createdAt / US_PER_MS).toISOString()} title={expiryText(n.createdAt)}>
          {agoText(n.createdAt, now)}
        </time>
      </button>
    </li>
  );
}
