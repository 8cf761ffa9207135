// One booking bar. Status is never colour alone: holds are striped and say
// "Hold" with their rank (1st, 2nd …), pencils are outlined and say "Pencil",
// confirmed bookings are solid and say "Confirmed"; the aria-label spells it
// all out. A booking over its artist's time off (allowed) has a ⚠ mark and
// its name says "overlaps time off". The name mentions its phase, if any.
// Edge handles resize; the body moves.

import { memo } from "react";
import { STATUS_LABEL, initials, ordinal, projectHue, projectName, type Placed } from "../model.js";
import { useBoard } from "../store.js";
import { formatRange } from "../time.js";

export type SaveMark = "sending" | "saving" | "saved" | undefined;

export interface BarProps {
  placed: Placed;
  artistName: string;
  left: number;
  width: number;
  top: number;
  height: number;
  selected: boolean;
  /** The board's one bar in the Tab order (roving tabindex); the others are reached with the arrows. */
  tabbable: boolean;
  save: SaveMark;
  snapping: boolean;
  dragging: boolean;
  dimmed: boolean;
  /** Names of others who have it open / selected. */
  editors: string[];
  viewers: string[];
  /** It overlaps its artist's time off (allowed; marked ⚠ and said in its name). */
  timeOff: boolean;
}

/** Below this width a bar drops its status word (below the compact one: in a two-lane row). */
const NARROW_PX = 96;
const NARROW_COMPACT_PX = 150;
/** Below this width a bar shows its glyph only. */
const TINY_PX = 34;
/** A bar is drawn at least this wide, so a short booking at month zoom is still a mark, not a dot. */
export const MIN_BAR_PX = 18;

const SAVE_TEXT: Record<Exclude<SaveMark, undefined>, string> = {
  sending: "sending",
  saving: "saving",
  saved: "saved",
};

export const Bar = memo(function Bar(p: BarProps) {
  const b = p.placed.booking;
  const rank = p.placed.holdRank;
  // The accessible name starts with the visible text (status, title, project),
  // so speech input can name a bar by what it shows (WCAG 2.5.3).
  const status = b.status === "hold" && rank !== undefined ? `${ordinal(rank)} Hold` : STATUS_LABEL[b.status];
  // Names and colours come from the server, live: a rename re-renders the bars.
  const projects = useBoard((st) => st.projects);
  const project = projectName(b.projectId, projects);
  const phase = b.phaseId ? projects.get(b.projectId ?? "")?.phases?.find((ph) => ph.id === b.phaseId)?.name : undefined;
  const label = [
    `${status} ${b.title} ${project}`,
    phase ? `phase ${phase}` : "",
    p.artistName,
    formatRange(b.startTime, b.endTime),
    p.timeOff ? "overlaps time off" : "",
    b.challengedBy ? "challenged" : "",
    b.queuedFor ? `waiting for ${b.queuedFor}` : "",
    p.save ? SAVE_TEXT[p.save] : "",
    p.editors.length > 0 ? `being edited by ${p.editors.join(", ")}` : "",
  ]
    .filter(Boolean)
    .join(", ");
  const cls = [
    "bar",
    `bar--${b.status}`,
    p.selected && "bar--selected",
    p.save && `bar--${p.save}`,
    p.snapping && "bar--snapback",
    p.dragging && "bar--dragging",
    p.dimmed && "bar--dimmed",
    p.editors.length > 0 && "bar--edited",
    p.timeOff && "bar--timeoff",
    // Narrow: one line of glyph, rank and title (cut with an ellipsis); the
    // status word goes (the glyph and the legend say it). Tiny: the glyph only.
    p.width < (p.height < 30 ? NARROW_COMPACT_PX : NARROW_PX) && "bar--narrow",
    p.width < TINY_PX && "bar--tiny",
    p.height < 30 && "bar--compact",
  ]
    .filter(Boolean)
    .join(" ");
  const hue = projectHue(b.projectId, projects);
  return (
    <div
      className={cls}
      data-key={p.placed.key}
      data-id={b.id}
      data-status={b.status}
      data-artist={b.artistId}
      data-start={b.startTime}
      data-end={b.endTime}
      data-save={p.save ?? "idle"}
      data-time-off={p.timeOff}
      data-challenged={b.challengedBy !== undefined}
      data-queued-for={b.queuedFor ?? ""}
      role="button"
      tabIndex={p.tabbable ? 0 : -1}
      aria-label={label}
      aria-pressed={p.selected}
      title={label}
      style={{ left: p.left, width: p.width, top: p.top, height: p.height, ["--hue" as string]: hue }}
    >
      <span className="bar__edge bar__edge--start" data-edge="start" aria-hidden="true" />
      {/* Glyphs, save marks and initials are CSS content: not part of the text. */}
      <span className="bar__text" aria-hidden="true">
        {/* The spaces keep the words apart in the text (flex ignores them in layout). */}
        <span className="bar__status">
          {/* Next to the status glyph, so a narrow or tiny bar keeps it. */}
          {p.timeOff ? <span className="bar__timeoff" title="Overlaps time off" /> : null}
          {b.status === "hold" && rank !== undefined ? <span className="bar__rank">{ordinal(rank)}</span> : null}
          {b.challengedBy ? <span className="bar__challenged" title="Challenged: confirm or release before the deadline" /> : null}{" "}
          <span className="bar__status-text">{STATUS_LABEL[b.status]}</span>
        </span>{" "}
        <span className="bar__title">{b.title}</span> <span className="bar__project">{project}</span>
      </span>
      {p.save ? <span className={`bar__save bar__save--${p.save}`} aria-hidden="true" /> : null}
      {p.editors.length > 0 || p.viewers.length > 0 ? (
        <span className="bar__who" aria-hidden="true">
          {[...p.editors, ...p.viewers.filter((v) => !p.editors.includes(v))].slice(0, 3).map((n, i) => (
            <span key={i} className={`avatar avatar--xs${p.editors.includes(n) ? " avatar--editing" : ""}`} title={n} data-initials={initials(n)} />
          ))}
        </span>
      ) : null}
      <span className="bar__edge bar__edge--end" data-edge="end" aria-hidden="true" />
    </div>
  );
});
