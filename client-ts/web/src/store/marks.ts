// The short-lived marks on bars: "saved" for a moment after a change became
// durable, a shake when a change was refused and rolled back. Each key's mark
// has one timer: a new mark restarts it, so a later change gets its full time.

import { get, set, type BoardState } from "./state.js";

/** How long a "saved" mark stays on a bar. */
const SAVED_MARK_MS = 2_500;
/** How long a refused bar shakes. */
const SNAPBACK_MS = 700;

const flashTimers = { justSaved: new Map<string, ReturnType<typeof setTimeout>>(), snapping: new Map<string, ReturnType<typeof setTimeout>>() };

function flash(setKey: "justSaved" | "snapping", key: string, ms: number): void {
  const on = new Set(get()[setKey]);
  on.add(key);
  set({ [setKey]: on } as Partial<BoardState>);
  const timers = flashTimers[setKey];
  clearTimeout(timers.get(key));
  timers.set(
    key,
    setTimeout(() => {
      timers.delete(key);
      const off = new Set(get()[setKey]);
      off.delete(key);
      set({ [setKey]: off } as Partial<BoardState>);
    }, ms),
  );
}

export function markSaved(key: string): void {
  flash("justSaved", key, SAVED_MARK_MS);
}

export function snapBack(key: string): void {
  flash("snapping", key, SNAPBACK_MS);
}
