// Undo and redo of board edits (Ctrl+Z, Ctrl+Shift+Z or Ctrl+Y, and the
// toolbar's buttons): the newest edit of this session is planned against the
// booking as the view shows it now (`undoPlan.ts`) and compensated by
// ordinary commands, sent with the booking's current version and not recorded
// themselves. When the booking changed since, nothing is sent: a notice says
// why and the edit leaves the history.

import { createBooking, inputOf, transitionBooking, updateBooking } from "./commands.js";
import { history, publishHistory } from "./history.js";
import { booking, followed } from "./live.js";
import { notify } from "./notices.js";
import { select } from "./selection.js";
import { planRedo, planUndo, rekey, type Entry, type Step } from "./undoPlan.js";

/** The key the view has a recorded key's booking under now (a create's command id becomes the booking's id). */
function resolve(key: string): string {
  return booking(key) ? key : (followed.get(key) ?? key);
}

export function undo(): void {
  const entry = history.undo();
  if (entry) apply(entry, "undo");
  publishHistory();
}

export function redo(): void {
  const entry = history.redo();
  if (entry) apply(entry, "redo");
  publishHistory();
}

function apply(entry: Entry, how: "undo" | "redo"): void {
  const key = resolve(entry.edit.key);
  const plan = (how === "undo" ? planUndo : planRedo)(entry.edit, booking(key));
  const what = `${how} “${entry.label}”`;
  if (!plan.ok) {
    history.remove(entry);
    notify({ tone: "info", title: `Could not ${what}`, message: `The booking cannot be put back: ${plan.reason}.` });
    return;
  }
  for (const step of plan.steps) {
    const created = send(step, key, what);
    // A re-created booking has a new key: the next undo or redo acts on it.
    if (created) {
      entry.edit = rekey(entry.edit, created);
      if (step.kind === "create" && entry.edit.kind === "create") select(created);
    }
  }
}

/** Sends one compensating command; returns a re-created booking's key. */
function send(step: Step, key: string, what: string): string | undefined {
  const opts = { undoable: false };
  switch (step.kind) {
    case "cancel":
      transitionBooking(key, "cancelled", undefined, opts);
      return undefined;
    case "transition":
      transitionBooking(key, step.to, undefined, opts);
      return undefined;
    case "update":
      updateBooking(key, step.patch as Parameters<typeof updateBooking>[1], what, opts);
      return undefined;
    case "create":
      return createBooking(inputOf(step.input), opts);
  }
}
