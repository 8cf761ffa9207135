// Bringing a booking into view from elsewhere (a notification): the board
// page, without the filters that would hide its artist's row, scrolled to
// that row and the booking's date, the booking selected with its panel open
// and its bar focused once drawn. The board does the scrolling when it has
// the rows (`board/useReveal.ts`); the window of bookings then follows the
// scroll as it always does (`window.ts`), which brings the bar and its panel.

import { z } from "zod";
import { apiCall, errorMessage } from "../api.js";
import { ACTIVE, buildRows } from "../model.js";
import { Instant } from "../rest.js";
import { navigate, parseHash } from "../router.js";
import { live } from "./live.js";
import { notify } from "./notices.js";
import { select, setFilters } from "./selection.js";
import { get, set } from "./state.js";

/** What the board needs of a booking it does not hold (`GET /bookings/{id}`; the rest is not read). */
const Where = z.object({ id: z.string(), artistId: z.string(), title: z.string(), status: z.string(), startTime: Instant });

/** Shows booking `id` on the board (read over REST when the board does not hold it). */
export async function revealBooking(id: string): Promise<void> {
  let b: z.output<typeof Where> | undefined = live.sub?.bookings.get(id);
  if (!b) {
    try {
      b = await apiCall("GET", `/bookings/${encodeURIComponent(id)}`, Where);
    } catch (e) {
      notify({ tone: "error", title: "Could not open the booking", message: errorMessage(e) });
      return;
    }
  }
  if (parseHash(location.hash).page !== "board") navigate({ page: "board" });
  showArtist(b.artistId);
  const active = (ACTIVE as ReadonlySet<string>).has(b.status);
  set({ reveal: { key: b.id, artistId: b.artistId, start: b.startTime, focus: active } });
  if (active) select(b.id, true, false);
  else notify({ tone: "info", title: "Not on the board", message: `“${b.title}” is ${b.status}: the board shows holds, pencils and confirmed bookings.` });
}

/** The board has scrolled to the booking. */
export function revealed(): void {
  set({ reveal: undefined });
}

/** Clears the search, skill and project filters if they hide `artistId`'s row (the grouping stays). */
function showArtist(artistId: string): void {
  const st = get();
  const artist = st.artists.filter((a) => a.id === artistId);
  if (artist.length > 0 && buildRows(artist, st.index, st.filters, st.projects).length === 0) setFilters({ text: "", skill: "", project: "" });
}
