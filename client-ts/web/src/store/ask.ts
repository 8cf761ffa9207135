// A question before a change, shown over the board (`board/AskDialog.tsx`):
// moving or resizing a confirmed booking asks first — the artist and the
// client were told those times — and sends only when the person says so.

import type { BookingPatch } from "../../../src/index.js";
import { updateBooking } from "./commands.js";
import { booking } from "./live.js";
import { get, set, type Ask } from "./state.js";

/** What had the focus when the question came (a bar): it gets it back after the answer. */
let focusBefore: HTMLElement | null = null;

export function ask(a: Ask): void {
  focusBefore = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  set({ ask: a });
}

/** Closes the question; `yes` runs its change. */
export function answerAsk(yes: boolean): void {
  const a = get().ask;
  set({ ask: undefined });
  if (yes) a?.run();
  const back = focusBefore;
  focusBefore = null;
  if (back?.isConnected) back.focus({ preventScroll: true });
}

/** `updateBooking`, but a confirmed booking's move or resize is asked about first. */
export function guardedUpdate(key: string, patch: Omit<BookingPatch, "version">, what: string): void {
  const b = booking(key);
  if (b?.status !== "confirmed" || (patch.startTime === undefined && patch.endTime === undefined && patch.artistId === undefined)) {
    updateBooking(key, patch, what);
    return;
  }
  const verb = what.startsWith("resize") ? "Resize" : "Move";
  ask({
    title: `${verb} a confirmed booking?`,
    text: `“${b.title}” is confirmed: the artist and the production were told its times. ${verb} it anyway?`,
    action: verb,
    run: () => updateBooking(key, patch, what),
  });
}
