// A phase's planned effort: rows of (skill, artist-days), edited in the
// "Add phase" form and in the selected phase's panel. Skills are suggested
// from the studio's artists (a datalist: any other tag may be typed). The
// browser checks only what its inputs can (whole days, 1 to 100000); the
// server has the rest of the rules (at most 50 skills, each once), and its
// field errors (`effort[1].days`) are shown on their row, in words.

import { useId, useMemo } from "react";
import type { SkillEffort } from "../../../src/index.js";
import { ApiError, type FieldProblem } from "../api.js";
import { useBoard } from "../store.js";

/** One row as typed (days as text, so a cleared input stays cleared). */
export interface EffortRow {
  skill: string;
  days: string;
}

export const MAX_EFFORT_DAYS = 100_000;

export function effortRows(effort: readonly SkillEffort[]): EffortRow[] {
  return effort.map((e) => ({ skill: e.skill, days: String(e.days) }));
}

/** The rows as the API takes them, in order: the server's `effort[i]` is row i. */
export function effortBody(rows: readonly EffortRow[]): SkillEffort[] {
  return rows.map((r) => ({ skill: r.skill.trim(), days: Number(r.days) }));
}

const EFFORT_FIELD = /^effort\[(\d+)\]\.(skill|days)$/;

/** A field error of the effort in words: "Effort row 2 (compositing): days must be 1 to 100000". */
export function effortProblemText(f: FieldProblem, rows: readonly EffortRow[]): string | undefined {
  if (f.field === "effort") return `Effort: ${f.reason}`;
  const m = EFFORT_FIELD.exec(f.field);
  if (!m) return undefined;
  const i = Number(m[1]);
  const skill = rows[i]?.skill.trim();
  return `Effort row ${i + 1}${skill ? ` (${skill})` : ""}: ${f.reason}`;
}

/**
 * The server's refusal: with field errors, each on its own (effort's in words,
 * the others as `field: reason`) instead of the server's message, which
 * repeats them with their JSON paths; without, the message as it is.
 */
export function explainWithEffort(e: unknown, rows: readonly EffortRow[]): string {
  if (!(e instanceof ApiError)) return e instanceof Error ? e.message : String(e);
  const parts = e.fields.map((f) => effortProblemText(f, rows) ?? `${f.field}: ${f.reason}`);
  return parts.length > 0 ? `Not saved. ${parts.join(". ")}.` : e.message;
}

/** Which rows' inputs the server refused ("3:days"). */
function refused(problems: readonly FieldProblem[]): Set<string> {
  const out = new Set<string>();
  for (const f of problems) {
    const m = EFFORT_FIELD.exec(f.field);
    if (m) out.add(`${m[1]}:${m[2]}`);
  }
  return out;
}

interface Props {
  rows: EffortRow[];
  onChange: (rows: EffortRow[]) => void;
  /** The server's field errors of the last save, to mark their inputs. */
  problems?: readonly FieldProblem[];
  /** Names the group for assistive technology: "Planned effort of Layout". */
  label: string;
}

export function EffortEditor({ rows, onChange, problems = [], label }: Props) {
  const artists = useBoard((st) => st.artists);
  const skills = useMemo(() => [...new Set(artists.flatMap((a) => a.skills.map((s) => s.toLowerCase())))].sort(), [artists]);
  const listId = `${useId()}-skills`;
  const bad = refused(problems);
  const put = (i: number, patch: Partial<EffortRow>) => onChange(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  return (
    <fieldset className="effort" aria-label={label} data-testid="effort">
      <legend>Planned effort (artist-days)</legend>
      <datalist id={listId}>
        {skills.map((s) => (
          <option key={s} value={s} />
        ))}
      </datalist>
      {rows.length === 0 ? <p className="muted effort__none">None planned.</p> : null}
      {rows.map((r, i) => (
        <div className="effort__row" key={i} data-testid="effort-row">
          <input
            aria-label={`Skill ${i + 1}`}
            name={`effort-skill-${i}`}
            list={listId}
            required
            value={r.skill}
            aria-invalid={bad.has(`${i}:skill`) || undefined}
            onChange={(e) => put(i, { skill: e.target.value })}
          />
          <input
            aria-label={`Days ${i + 1}`}
            name={`effort-days-${i}`}
            type="number"
            required
            min={1}
            max={MAX_EFFORT_DAYS}
            step={1}
            value={r.days}
            aria-invalid={bad.has(`${i}:days`) || undefined}
            onChange={(e) => put(i, { days: e.target.value })}
          />
          <button type="button" className="link" aria-label={`Remove skill ${i + 1}${r.skill ? ` (${r.skill})` : ""}`} onClick={() => onChange(rows.filter((_, j) => j !== i))}>
            Remove
          </button>
        </div>
      ))}
      <button type="button" className="effort__add" onClick={() => onChange([...rows, { skill: "", days: "" }])}>
        Add skill
      </button>
    </fieldset>
  );
}
