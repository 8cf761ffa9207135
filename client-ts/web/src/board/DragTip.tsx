// The tip beside a drag: whether the ghost's place is free, who is in the
// way, and the target artist's approved time off under it (refused for pencil
// and confirmed unless booked as overtime; allowed, with a word, for holds),
// and how much working time it spans (the artist's hours, holidays and time
// off taken out: "2 d 4 h working", not calendar days).

import { useBoard } from "../store.js";
import { formatRange, formatTimeOff } from "../time.js";
import { ghostState, refusedForTimeOff, type Drag } from "./drag.js";
import { calendarFor, workingText } from "./workingTime.js";

export function DragTip({ drag }: { drag: Drag }) {
  const st = useBoard.getState();
  const artist = st.artists.find((a) => a.id === drag.ghost.artistId);
  const working = workingText(drag.ghost.start, drag.ghost.end, artist && calendarFor(artist, st.workingWeek, st.studio.holidays));
  const c = drag.check;
  const state = ghostState(drag);
  return (
    <div className={`drag-tip drag-tip--${state}`} role="status" aria-live="polite" data-testid="drag-tip">
      <strong>{state === "busy" ? "Busy" : state === "timeoff" ? "Time off" : "Free"}</strong> · {artist?.name} · {formatRange(drag.ghost.start, drag.ghost.end)}
      {working ? <span data-testid="drag-working"> · {working}</span> : null}
      {!c.free ? <div>In the way: {c.conflicts.map((b) => `${b.title} (${b.status})`).join(", ")}</div> : null}
      {drag.timeOff.length > 0 ? (
        <div>
          {!c.free ? "Also overlaps" : refusedForTimeOff(drag) ? "Refused unless booked as overtime: it overlaps" : "Allowed for a hold, but it overlaps"} {artist ? `${artist.name}'s` : "their"} time off:{" "}
          {drag.timeOff.map((r) => formatTimeOff(r.start, r.end)).join("; ")}
        </div>
      ) : null}
      {c.free && c.holds > 0 && drag.ghost.status !== "hold" ? <div>Overlaps {c.holds} hold(s)</div> : null}
    </div>
  );
}
