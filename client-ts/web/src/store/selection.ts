// What this tab looks at: the selected booking, the side panel (a booking's,
// or an artist's time off or profile), zoom and filters. The selection is also what
// others see of us (presence).

import type { PresenceState } from "../../../src/index.js";
import type { Filters } from "../model.js";
import type { Zoom } from "../time.js";
import { followed, live } from "./live.js";
import { get, set, type ArtistPanelKind } from "./state.js";

export function publishPresence(): void {
  const { session, selected, panelOpen } = get();
  const sub = live.studio;
  if (!sub || !session) return;
  const state: PresenceState = { name: session.user.displayName, lookingAt: "board" };
  // Only ids the server knows (an unanswered create is still keyed by its command id).
  const id = selected === undefined ? undefined : (followed.get(selected) ?? selected);
  const real = id !== undefined && (live.sub?.serverBookings.has(id) || followed.has(selected!)) ? id : undefined;
  if (real) state.selectedBooking = real;
  if (real && panelOpen) state.editingBooking = real;
  sub.setPresence(state);
}

/** Selects `key` (and opens or closes the panel); `focusPanel: false` (a click) keeps the focus on the bar. */
export function select(key: string | undefined, panelOpen?: boolean, focusPanel = true): void {
  const st = get();
  const open = panelOpen ?? (key === undefined ? false : st.panelOpen);
  if (st.selected === key && st.panelOpen === open) return;
  set({ selected: key, panelOpen: open, panelFocus: focusPanel, ...(open ? { artistPanel: undefined } : {}) });
  publishPresence();
}

/** Opens (or, with undefined, closes) the side panel on an artist's time off or profile; a booking's panel closes. */
export function openArtistPanel(artistId: string | undefined, kind: ArtistPanelKind = "timeOff"): void {
  const st = get();
  if (st.artistPanel === artistId && (artistId === undefined || (!st.panelOpen && st.artistPanelKind === kind))) return;
  set({ artistPanel: artistId, ...(artistId !== undefined ? { panelOpen: false, artistPanelKind: kind } : {}) });
  publishPresence();
}

export function setZoom(zoom: Zoom): void {
  set({ zoom });
}

export function setFilters(patch: Partial<Filters>): void {
  set({ filters: { ...get().filters, ...patch } });
}
