// Undo and redo, as data (pure: `undo.ts` sends the commands). Every board
// edit is one entry: what it did to which booking, with the booking's fields
// before and after. Undoing or redoing plans compensating commands against
// the booking as the view shows it now:
// * a create is undone by cancelling it; redone by creating it again;
// * a change of fields (move, resize, title …) is undone by changing them
//   back, with the booking's current version; redone by changing them again;
// * a cancel is undone by creating the booking again with the same fields
//   (the server has no un-cancel: the new booking has a new id);
// * a status change (hold → pencil → confirmed only goes forward) is undone
//   by cancelling and creating it again with the old status; redone by the
//   transition again.
// When the booking changed since (someone else moved it, cancelled it …) the
// plan is `stale`, with a readable reason, and nothing is sent.

import type { Booking, BookingStatus } from "../../../src/index.js";

/** The fields an edit touches and a re-create needs. */
export interface Fields {
  artistId: string;
  projectId: string | null;
  phaseId?: string | undefined;
  title: string;
  notes: string | null;
  startTime: number;
  endTime: number;
  status: BookingStatus;
  expiresAt: number | null;
  allowOvertime?: boolean | undefined;
}

export type Edit =
  | { kind: "create"; key: string; after: Fields }
  | { kind: "update"; key: string; before: Fields; after: Fields }
  | { kind: "status"; key: string; before: Fields; after: Fields }
  | { kind: "cancel"; key: string; before: Fields };

export interface Entry {
  /** "move the booking", "create the booking" … (the toolbar says "Undo move the booking"). */
  label: string;
  edit: Edit;
}

/** Commands that compensate (in order), or why not. */
export type Step =
  | { kind: "cancel"; key: string }
  | { kind: "update"; key: string; patch: Partial<Fields> }
  | { kind: "transition"; key: string; to: BookingStatus }
  | { kind: "create"; input: Fields };

export type Plan = { ok: true; steps: Step[] } | { ok: false; reason: string };

/** The fields of a booking an edit records. */
export function fieldsOf(b: Booking): Fields {
  return {
    artistId: b.artistId,
    projectId: b.projectId,
    phaseId: b.phaseId,
    title: b.title,
    notes: b.notes,
    startTime: b.startTime,
    endTime: b.endTime,
    status: b.status,
    expiresAt: b.expiresAt,
    allowOvertime: b.allowOvertime,
  };
}

/** Fields an update may change (not status, not overtime). */
const PATCHABLE = ["artistId", "projectId", "phaseId", "title", "notes", "startTime", "endTime", "expiresAt"] as const;
type Patchable = (typeof PATCHABLE)[number];

/** The patchable fields that differ between `a` and `b`. */
export function changed(a: Fields, b: Fields): Patchable[] {
  return PATCHABLE.filter((k) => (a[k] ?? null) !== (b[k] ?? null));
}

const ACTIVE = new Set<BookingStatus>(["hold", "pencil", "confirmed"]);

/** `current` still shows `want` on `fields` (else someone changed it since). */
function still(current: Booking | undefined, want: Fields, fields: Patchable[]): boolean {
  if (!current) return false;
  const now = fieldsOf(current);
  return fields.every((k) => (now[k] ?? null) === (want[k] ?? null));
}

const GONE = "it was cancelled or removed since";
const MOVED = "someone changed it since";

/** What undoing `e` sends, given the booking as it is now (undefined: not in the view). */
export function planUndo(e: Edit, current: Booking | undefined): Plan {
  const active = current !== undefined && ACTIVE.has(current.status);
  switch (e.kind) {
    case "create":
      return active ? { ok: true, steps: [{ kind: "cancel", key: e.key }] } : { ok: false, reason: GONE };
    case "update": {
      const fields = changed(e.before, e.after);
      if (!active) return { ok: false, reason: GONE };
      if (!still(current, e.after, fields)) return { ok: false, reason: MOVED };
      return { ok: true, steps: [{ kind: "update", key: e.key, patch: pick(e.before, fields) }] };
    }
    case "status":
      if (!active) return { ok: false, reason: GONE };
      if (current.status !== e.after.status) return { ok: false, reason: MOVED };
      return { ok: true, steps: [{ kind: "cancel", key: e.key }, { kind: "create", input: recreate(e.before, fieldsOf(current)) }] };
    case "cancel":
      if (current && active) return { ok: false, reason: "it is not cancelled any more" };
      return { ok: true, steps: [{ kind: "create", input: e.before }] };
  }
}

/** What redoing `e` sends, given the booking as it is now. */
export function planRedo(e: Edit, current: Booking | undefined): Plan {
  const active = current !== undefined && ACTIVE.has(current.status);
  switch (e.kind) {
    case "create":
      return { ok: true, steps: [{ kind: "create", input: e.after }] };
    case "update": {
      const fields = changed(e.before, e.after);
      if (!active) return { ok: false, reason: GONE };
      if (!still(current, e.before, fields)) return { ok: false, reason: MOVED };
      return { ok: true, steps: [{ kind: "update", key: e.key, patch: pick(e.after, fields) }] };
    }
    case "status":
      if (!active) return { ok: false, reason: GONE };
      if (current.status !== e.before.status) return { ok: false, reason: MOVED };
      return { ok: true, steps: [{ kind: "transition", key: e.key, to: e.after.status }] };
    case "cancel":
      return active ? { ok: true, steps: [{ kind: "cancel", key: e.key }] } : { ok: false, reason: GONE };
  }
}

/** The booking to create again: the old status on the fields it has now. */
function recreate(before: Fields, now: Fields): Fields {
  return { ...now, status: before.status, expiresAt: before.expiresAt };
}

function pick(f: Fields, keys: Patchable[]): Partial<Fields> {
  const out: Partial<Fields> = {};
  for (const k of keys) (out as Record<string, unknown>)[k] = f[k] ?? null;
  return out;
}

/** The same edit on another booking (a re-create gave it a new key). */
export function rekey(e: Edit, key: string): Edit {
  return { ...e, key };
}

/** Two stacks, newest last: done (undo pops it) and undone (redo pops it); a new edit clears the redo side. */
export class UndoStack<T> {
  private done: T[] = [];
  private undone: T[] = [];
  constructor(private readonly limit = 100) {}

  /** A new edit: it can be undone, and nothing can be redone any more. */
  push(e: T): void {
    this.done.push(e);
    if (this.done.length > this.limit) this.done.shift();
    this.undone = [];
  }
  /** Forgets `e` (its command was refused). */
  remove(e: T): void {
    this.done = this.done.filter((x) => x !== e);
    this.undone = this.undone.filter((x) => x !== e);
  }
  /** The newest edit, moved to the redo side. */
  undo(): T | undefined {
    const e = this.done.pop();
    if (e !== undefined) this.undone.push(e);
    return e;
  }
  /** The newest undone edit, moved back to the undo side. */
  redo(): T | undefined {
    const e = this.undone.pop();
    if (e !== undefined) this.done.push(e);
    return e;
  }
  peekUndo(): T | undefined {
    return this.done[this.done.length - 1];
  }
  peekRedo(): T | undefined {
    return this.undone[this.undone.length - 1];
  }
  clear(): void {
    this.done = [];
    this.undone = [];
  }
}
