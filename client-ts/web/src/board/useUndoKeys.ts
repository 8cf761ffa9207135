// Undo and redo from the keyboard, anywhere on the board page: Ctrl+Z (⌘Z on
// a Mac) undoes this session's last board edit, Ctrl+Shift+Z (⌘⇧Z) or Ctrl+Y
// redoes it. In a text field the browser's own text undo is left alone.

import { useEffect } from "react";
import * as store from "../store.js";

/** Whether `e` is an undo (-1), a redo (+1) or neither (0). */
export function undoKey(e: Pick<KeyboardEvent, "key" | "ctrlKey" | "metaKey" | "shiftKey" | "altKey">): -1 | 0 | 1 {
  if (!(e.ctrlKey || e.metaKey) || e.altKey) return 0;
  const k = e.key.toLowerCase();
  if (k === "z") return e.shiftKey ? 1 : -1;
  if (k === "y" && !e.shiftKey) return 1;
  return 0;
}

function editable(el: EventTarget | null): boolean {
  return el instanceof HTMLElement && (el.isContentEditable || el.closest("input, textarea, select") !== null);
}

export function useUndoKeys(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const k = undoKey(e);
      if (k === 0 || editable(e.target) || document.querySelector(".dialog-backdrop")) return;
      e.preventDefault();
      if (k < 0) store.undo();
      else store.redo();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);
}
