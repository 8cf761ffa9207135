// Notices: the board's messages (the last three). A refused command becomes
// one with the server's reason, the bookings in the way and the nearest free
// windows, and a retry at one of them when the gesture can be re-issued. An
// `unavailable` refusal names why (time off, a holiday, outside working
// hours) and offers to book anyway, as overtime. A new pencil or confirmed
// booking refused as a `conflict` can be queued as the next hold instead.

import { CommandError } from "../../../src/index.js";
import { ConflictDetails, UnavailableDetails } from "../rest.js";
import { formatRange } from "../time.js";
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
export function refused(e: unknown, what: string, retry?: (w: Window) => void, overtime?: () => void, queue?: () => void): void {
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
    ...(overtime && e.code === "unavailable" ? { overtime } : {}),
    ...(queue && e.code === "conflict" ? { queue } : {}),
  });
}

const REASON = { time_off: "approved time off", holiday: "a studio holiday", outside_working_hours: "outside working hours" };

/** "Not available then: approved time off (…); outside working hours (…)." */
export function unavailableMessage(details: unknown): string {
  const parsed = UnavailableDetails.safeParse(details ?? {});
  const list = parsed.success ? parsed.data.unavailable : [];
  if (list.length === 0) return "The artist is not available then.";
  const parts = list.slice(0, 4).map((u) => `${u.reason === "holiday" && u.holiday ? `the studio holiday “${u.holiday}”` : REASON[u.reason]} (${formatRange(u.start, u.end)})`);
  const more = list.length > 4 ? `; and ${list.length - 4} more` : "";
  return `Not available then: ${parts.join("; ")}${more}. Pencil and confirmed bookings there need overtime.`;
}

function reason(e: CommandError): string {
  switch (e.code) {
    case "conflict":
      return `${e.message.charAt(0).toUpperCase()}${e.message.slice(1)}.`;
    case "version_mismatch":
      return "Someone changed this booking first; the board now shows their version.";
    case "unavailable":
      return unavailableMessage(e.details);
    case "service_unavailable":
      return "The server cannot save right now; try again in a moment.";
    default:
      return e.message;
  }
}
