// A refusal as a sentence for the Studio tabs: the server's own message
// (`errorMessage`, field errors included), capitalised and closed with a
// full stop — "you cannot demote yourself; another owner can" reads as
// "You cannot demote yourself; another owner can."

import { errorMessage } from "../api.js";

export function readable(e: unknown): string {
  return sentence(errorMessage(e)) || "Something went wrong.";
}

/** Capitalised, ending in a full stop. */
export function sentence(text: string): string {
  const s = text.trim();
  if (s === "") return "";
  return s.charAt(0).toUpperCase() + s.slice(1) + (/[.!?)]$/.test(s) ? "" : ".");
}
