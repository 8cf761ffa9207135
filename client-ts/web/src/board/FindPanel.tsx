// "Find someone" (the toolbar's button; owners and managers): pick skills,
// each with an optional least level, and a range of days; the server ranks
// the artists who have them by free time (`GET /api/v1/artists/search`).
// Each result shows its matched and missing skills, its free days and its free
// windows. Drag a result onto the board to place a hold for that artist where
// it is dropped, or drag one of its free windows to place a hold over that
// window (`useHoldDrop.ts`); a click on a window does the same from the
// keyboard.

import { useMemo, useState, type FormEvent } from "react";
import { useShallow } from "zustand/react/shallow";
import { addDays, today } from "../days.js";
import type { ArtistMatch } from "../rest.js";
import * as store from "../store.js";
import { useBoard, type WantedSkill } from "../store.js";
import { formatRange } from "../time.js";
import { endHoldDrag, startHoldDrag, type HoldPayload } from "./useHoldDrop.js";
import "./find.css";

const LEVELS = [1, 2, 3, 4, 5];
/** Free windows shown per result. */
const WINDOWS_SHOWN = 6;

type Answer = { kind: "idle" } | { kind: "searching" } | { kind: "done"; matches: ArtistMatch[] } | { kind: "error"; message: string };

export function FindPanel() {
  const { artists } = useBoard(useShallow((st) => ({ artists: st.artists })));
  const studioSkills = useMemo(() => [...new Set(artists.flatMap((a) => a.skills))].sort(), [artists]);
  const [skills, setSkills] = useState<WantedSkill[]>([]);
  const [from, setFrom] = useState(() => today());
  const [to, setTo] = useState(() => addDays(today(), 13));
  const [minFreeDays, setMinFreeDays] = useState("");
  const [answer, setAnswer] = useState<Answer>({ kind: "idle" });
  const close = () => store.openFind(false);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (skills.length === 0) return;
    setAnswer({ kind: "searching" });
    const min = Number(minFreeDays);
    store.searchArtists({ skills, from, to, ...(minFreeDays !== "" && min > 0 ? { minFreeDays: min } : {}) }).then(
      (matches) => setAnswer({ kind: "done", matches }),
      (err: unknown) => setAnswer({ kind: "error", message: err instanceof Error ? err.message : String(err) }),
    );
  };
  const title = `Hold · ${skills.map((s) => s.name).join(", ")}`;

  return (
    <aside className="panel find" aria-label="Find someone" data-testid="find-panel" onKeyDown={(e) => e.key === "Escape" && (close(), e.stopPropagation())}>
      <header className="panel__head">
        <h2>Find someone</h2>
        <button type="button" className="icon-button" aria-label="Close panel" onClick={close}>
          ✕
        </button>
      </header>
      <form className="panel__form" onSubmit={submit} aria-label="Search artists">
        <SkillPicker studioSkills={studioSkills} skills={skills} onChange={setSkills} />
        <div className="find__range">
          <label>
            From
            <input type="date" name="from" value={from} required onChange={(e) => setFrom(e.target.value)} />
          </label>
          <label>
            To
            <input type="date" name="to" value={to} min={from} required onChange={(e) => setTo(e.target.value)} />
          </label>
          <label>
            Min. free days
            <input type="number" name="minFreeDays" min={0} max={366} value={minFreeDays} placeholder="Any" onChange={(e) => setMinFreeDays(e.target.value)} />
          </label>
        </div>
        <div className="panel__actions">
          <button type="submit" className="primary" disabled={skills.length === 0 || answer.kind === "searching"}>
            {answer.kind === "searching" ? "Searching…" : "Search"}
          </button>
        </div>
      </form>
      {answer.kind === "error" ? (
        <p className="panel__error" role="alert">
          Could not search: {answer.message}
        </p>
      ) : null}
      {answer.kind === "done" ? <Results matches={answer.matches} title={title} /> : null}
    </aside>
  );
}

/** The chosen skills (each with an optional least level, removable) and a list to add one. */
function SkillPicker({ studioSkills, skills, onChange }: { studioSkills: string[]; skills: WantedSkill[]; onChange: (s: WantedSkill[]) => void }) {
  const free = studioSkills.filter((s) => !skills.some((w) => w.name === s));
  const setLevel = (name: string, level: number | undefined) => onChange(skills.map((s) => (s.name === name ? (level ? { name, level } : { name }) : s)));
  return (
    <fieldset className="find__skills">
      <legend>Skills</legend>
      {skills.length > 0 ? (
        <ul className="find__chosen" aria-label="Chosen skills">
          {skills.map((s) => (
            <li key={s.name}>
              <span>{s.name}</span>
              <select aria-label={`Least level for ${s.name}`} value={s.level ?? ""} onChange={(e) => setLevel(s.name, e.target.value ? Number(e.target.value) : undefined)}>
                <option value="">any level</option>
                {LEVELS.map((l) => (
                  <option key={l} value={l}>
                    level {l}+
                  </option>
                ))}
              </select>
              <button type="button" className="icon-button" aria-label={`Remove ${s.name}`} onClick={() => onChange(skills.filter((w) => w.name !== s.name))}>
                ✕
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      <label>
        Add a skill
        <select value="" onChange={(e) => e.target.value && onChange([...skills, { name: e.target.value }])}>
          <option value="">Choose…</option>
          {free.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </label>
    </fieldset>
  );
}

function Results({ matches, title }: { matches: ArtistMatch[]; title: string }) {
  if (matches.length === 0) return <p className="muted">Nobody matches. Try fewer skills, lower levels or a longer range.</p>;
  return (
    <>
      <p className="muted small">Drag a result onto the board for a hold where you drop it, or a free window for a hold over that window.</p>
      <ol className="find__results" aria-label="Results">
        {matches.map((m) => (
          <Result key={m.artist.id} m={m} title={title} />
        ))}
      </ol>
    </>
  );
}

function Result({ m, title }: { m: ArtistMatch; title: string }) {
  const base: HoldPayload = { artistId: m.artist.id, artistName: m.artist.name, title };
  const hours = Math.round(m.freeMinutes / 6) / 10;
  return (
    <li
      className="find__result"
      draggable
      onDragStart={(e) => startHoldDrag(e, base)}
      onDragEnd={endHoldDrag}
      data-testid="find-result"
      data-artist={m.artist.id}
      aria-label={`${m.artist.name}: ${m.freeDays} of ${m.workingDays} working days free`}
    >
      <div className="find__name">
        <strong>{m.artist.name}</strong>
        <span className="small muted">{m.artist.timezone}</span>
      </div>
      <div className="small">
        {m.matchedSkills.map((s) => (
          <span key={s.name} className="find__skill">
            {s.name} {s.level}
          </span>
        ))}
        {m.missingSkills.map((s) => (
          <span key={s} className="find__skill find__skill--missing" title="Missing or below the level asked">
            no {s}
          </span>
        ))}
      </div>
      <div className="small">
        {m.freeDays} of {m.workingDays} working days free · {hours} h free
      </div>
      {m.freeWindows.length > 0 ? (
        <ul className="find__windows" aria-label={`Free windows of ${m.artist.name}`}>
          {m.freeWindows.slice(0, WINDOWS_SHOWN).map((w) => {
            const label = formatRange(w.start, w.end);
            return (
              <li key={w.start}>
                <button
                  type="button"
                  draggable
                  className="find__window"
                  data-start={w.start}
                  data-end={w.end}
                  aria-label={`Hold ${m.artist.name}, ${label}`}
                  title="Drag onto the board, or click, to place a hold over this window"
                  onDragStart={(e) => {
                    e.stopPropagation();
                    startHoldDrag(e, { ...base, window: { start: w.start, end: w.end } });
                  }}
                  onDragEnd={endHoldDrag}
                  onClick={() => store.placeHold(m.artist.id, w.start, w.end, title)}
                >
                  {label}
                </button>
              </li>
            );
          })}
          {m.freeWindows.length > WINDOWS_SHOWN ? <li className="small muted">+{m.freeWindows.length - WINDOWS_SHOWN} more</li> : null}
        </ul>
      ) : (
        <div className="small muted">No free window in the range.</div>
      )}
    </li>
  );
}
