// This session's undo history: one stack of board edits (`undoPlan.ts`),
// recorded by the booking commands as they are sent and forgotten when the
// server refuses them; the toolbar reads what Undo and Redo would do from the
// store (`undoLabel`, `redoLabel`). Emptied on sign-out.

import { UndoStack, type Entry } from "./undoPlan.js";
import { set } from "./state.js";

export const history = new UndoStack<Entry>();

/** Tells the store what Undo and Redo would do now. */
export function publishHistory(): void {
  set({ undoLabel: history.peekUndo()?.label, redoLabel: history.peekRedo()?.label });
}

/** Records an edit just sent; returns what forgets it (its command was refused). */
export function record(entry: Entry): () => void {
  history.push(entry);
  publishHistory();
  return () => {
    history.remove(entry);
    publishHistory();
  };
}

export function clearHistory(): void {
  history.clear();
  publishHistory();
}
