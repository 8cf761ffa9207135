// The bell in the page links, for every signed-in role: the unread count as a
// badge (none at 0), said in its name ("Notifications, 3 unread"); it opens
// and closes the inbox (`InboxPanel.tsx`). Escape or a click elsewhere closes
// it; Escape gives the focus back to the bell. A notification heard live is
// also said to screen readers (a polite status). The inbox's Settings button
// closes it and opens "Notification settings" (`NotificationSettings.tsx`,
// loaded when first opened); closing that gives the focus back to the bell.

import { lazy, Suspense, useEffect, useRef, useState } from "react";
import { useShallow } from "zustand/react/shallow";
import * as store from "../store.js";
import { useBoard } from "../store.js";
import { InboxPanel } from "./InboxPanel.js";
import "./inbox.css";

const NotificationSettings = lazy(() => import("./NotificationSettings.js").then((m) => ({ default: m.NotificationSettings })));

export function Bell() {
  const { unread, status } = useBoard(useShallow((st) => ({ unread: st.inbox.unread, status: st.inbox.status })));
  const [open, setOpen] = useState(false);
  const [settings, setSettings] = useState(false);
  const box = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const said = useAnnouncement();

  // A click anywhere else closes it (the focus stays where the click put it).
  useEffect(() => {
    if (!open) return;
    const away = (e: PointerEvent) => {
      if (!box.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener("pointerdown", away);
    return () => document.removeEventListener("pointerdown", away);
  }, [open]);

  const toggle = () => {
    if (!open && status === "failed") void store.loadInbox();
    setOpen(!open);
  };
  const close = (refocus: boolean) => {
    setOpen(false);
    if (refocus) button.current?.focus();
  };
  const openSettings = () => {
    setOpen(false);
    setSettings(true);
  };
  const closeSettings = () => {
    setSettings(false);
    button.current?.focus();
  };
  const label = unread > 0 ? `Notifications, ${unread} unread` : "Notifications";
  return (
    <div className="bell" ref={box}>
      <button
        ref={button}
        type="button"
        className={`bell__button${unread > 0 ? " bell__button--unread" : ""}`}
        aria-label={label}
        title={label}
        aria-expanded={open}
        aria-controls={open ? "inbox" : undefined}
        onClick={toggle}
        data-testid="bell"
      >
        <svg className="bell__icon" viewBox="0 0 24 24" width="16" height="16" aria-hidden="true" focusable="false">
          <path d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3.5a1.5 1.5 0 0 0-3 0v.66A7 7 0 0 0 5 11v5l-2 2v1h18v-1l-2-2Z" />
        </svg>
        {unread > 0 ? (
          <span className="bell__count" aria-hidden="true" data-testid="bell-count">
            {unread > 99 ? "99+" : unread}
          </span>
        ) : null}
      </button>
      <span className="visually-hidden" role="status">
        {said}
      </span>
      {open ? <InboxPanel onClose={close} onSettings={openSettings} /> : null}
      {settings ? (
        <Suspense fallback={null}>
          <NotificationSettings onClose={closeSettings} />
        </Suspense>
      ) : null}
    </div>
  );
}

/** "New notification: …" for each one heard live while signed in (not those of the first page). */
function useAnnouncement(): string {
  const newest = useBoard((st) => st.inbox.items[0]);
  const ready = useBoard((st) => st.inbox.status !== "idle" && st.inbox.status !== "loading");
  const seen = useRef<string | undefined>(undefined);
  const [said, setSaid] = useState("");
  useEffect(() => {
    if (!ready) return;
    const before = seen.current;
    seen.current = newest?.id ?? "";
    if (before !== undefined && newest && before !== newest.id && newest.readAt === null) setSaid(`New notification: ${newest.title}`);
  }, [ready, newest]);
  return said;
}
