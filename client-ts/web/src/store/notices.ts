// Notices: the board's messages (the last three). A refused command becomes
// one with the server's reason, the bookings in the way and the nearest free
// windows, and a retry at one of them when the gesture can be re-issued.

import { CommandError } from "../../../src/index.js";
import { ConflictDetails } from "../rest.js";
import { get, set, type Notice, type Window } from "./state.js";

let noticeId = 0;

export function notify(n: Omit<Notice, "id" | "conflicts" | "freeWindows"> & Partial<Pick<Notice, "conflicts" | "freeWindows">>): void {
  const notice: Notice = { conflicts: [], freeWindows: [], ...n, id: ++noticeId };
  set({ notices: [...get().notices.slice(-2), notice] });
}

export function dismiss(id: number): void {
  set({ notices: get().notices.filter((n) => n.id !== id) });
}

/** The notice for a command that failed: refused, reverted, or never answered. */
export function refused(e: unknown, what: string, retry?: (w: Window) => void): void {
  if (!(e instanceof CommandError)) {
    notify({ tone: "error", title: `Could not ${what}`, message: e instanceof Error ? e.message : String(e) });
    return;
  }
  const parsed = ConflictDetails.safeParse(e.details ?? {});
  const d = parsed.success ? parsed.data : { conflicts: [], freeWindows: [] };
  notify({
    tone: "error",
    title: `Could not ${what}`,
    message: reason(e),
    conflicts: d.conflicts.map((c) => ({ title: c.title, status: c.status, start: c.startTime, end: c.endTime })),
    freeWindows: d.freeWindows.slice(0, 4),
    ...(retry && d.freeWindows.length > 0 ? { retry } : {}),
  });
}

function reason(e: CommandError): string {
  switch (e.code) {
    case "conflict":
      return `${e.message.charAt(0).toUpperCase()}${e.message.slice(1)}.`;
    case "version_mismatch":
      return "Someone changed this booking first; the board now shows their version.";
    default:
      return e.message;
  }
}
