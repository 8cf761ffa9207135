// The profile form's inputs: bio, location, zone, languages, avatar, the
// skills (name, level 1–5, years) and portfolio links (title, URL, kind) as
// lists with Add and Remove, and — for an owner — the day rate and the
// artist's working hours (the studio's week, or intervals of their own).
// Every input has a label a screen reader reads ("Skill 2 level").

import type { WorkingInterval } from "../../../src/index.js";
import type { Draft, LinkDraft, SkillDraft } from "./draft.js";
import { PORTFOLIO_KINDS, WEEKDAYS, type PortfolioKind } from "./profileApi.js";

interface Props {
  draft: Draft;
  setDraft: (d: Draft) => void;
}

/** Bio, location, zone, languages and avatar. */
export function AboutFields({ draft, setDraft }: Props) {
  const text = (field: "location" | "timezone" | "languages" | "avatarUrl", label: string, extra: { maxLength?: number; placeholder?: string; required?: boolean } = {}) => (
    <label>
      {label}
      <input type="text" name={field} value={draft[field]} {...extra} onChange={(e) => setDraft({ ...draft, [field]: e.target.value })} />
    </label>
  );
  return (
    <>
      <label>
        Bio
        <textarea name="bio" rows={4} maxLength={5000} value={draft.bio} onChange={(e) => setDraft({ ...draft, bio: e.target.value })} />
      </label>
      {text("location", "Location", { maxLength: 200, placeholder: "Optional" })}
      {text("timezone", "Time zone", { required: true, placeholder: "Europe/London" })}
      {text("languages", "Languages", { placeholder: "English, French" })}
      {text("avatarUrl", "Avatar URL", { placeholder: "https://…" })}
    </>
  );
}

/** The skills, each a row: name, level, years. */
export function SkillFields({ draft, setDraft }: Props) {
  const put = (i: number, s: SkillDraft) => setDraft({ ...draft, skills: draft.skills.map((x, j) => (j === i ? s : x)) });
  return (
    <fieldset className="profile-list">
      <legend>Skills</legend>
      {draft.skills.map((s, i) => (
        <div key={i} className="profile-list__row">
          <input type="text" aria-label={`Skill ${i + 1} name`} value={s.name} maxLength={64} required onChange={(e) => put(i, { ...s, name: e.target.value })} />
          <select aria-label={`Skill ${i + 1} level`} value={s.level} onChange={(e) => put(i, { ...s, level: Number(e.target.value) })}>
            {[1, 2, 3, 4, 5].map((l) => (
              <option key={l} value={l}>
                Level {l}
              </option>
            ))}
          </select>
          <input type="number" aria-label={`Skill ${i + 1} years`} placeholder="Years" min={0} max={80} value={s.years} onChange={(e) => put(i, { ...s, years: e.target.value })} />
          <button type="button" aria-label={`Remove skill ${i + 1}`} onClick={() => setDraft({ ...draft, skills: draft.skills.filter((_, j) => j !== i) })}>
            ✕
          </button>
        </div>
      ))}
      <button type="button" onClick={() => setDraft({ ...draft, skills: [...draft.skills, { name: "", level: 3, years: "" }] })}>
        Add skill
      </button>
    </fieldset>
  );
}

/** The portfolio links, each a row: title, URL, kind. */
export function PortfolioFields({ draft, setDraft }: Props) {
  const put = (i: number, l: LinkDraft) => setDraft({ ...draft, portfolio: draft.portfolio.map((x, j) => (j === i ? l : x)) });
  return (
    <fieldset className="profile-list">
      <legend>Portfolio</legend>
      {draft.portfolio.map((l, i) => (
        <div key={i} className="profile-list__row">
          <input type="text" aria-label={`Link ${i + 1} title`} placeholder="Title" value={l.title} maxLength={200} required onChange={(e) => put(i, { ...l, title: e.target.value })} />
          <input type="url" aria-label={`Link ${i + 1} URL`} placeholder="https://…" value={l.url} required onChange={(e) => put(i, { ...l, url: e.target.value })} />
          <select aria-label={`Link ${i + 1} kind`} value={l.kind} onChange={(e) => put(i, { ...l, kind: e.target.value as PortfolioKind })}>
            {PORTFOLIO_KINDS.map((k) => (
              <option key={k} value={k}>
                {k}
              </option>
            ))}
          </select>
          <button type="button" aria-label={`Remove link ${i + 1}`} onClick={() => setDraft({ ...draft, portfolio: draft.portfolio.filter((_, j) => j !== i) })}>
            ✕
          </button>
        </div>
      ))}
      <button type="button" onClick={() => setDraft({ ...draft, portfolio: [...draft.portfolio, { title: "", url: "", kind: "reel" }] })}>
        Add link
      </button>
    </fieldset>
  );
}

/** The day rate and its currency (owners). */
export function RateFields({ draft, setDraft }: Props) {
  return (
    <div className="panel__times">
      <label>
        Day rate
        <input type="number" name="dayRate" min={0} max={1000000} placeholder="No rate" value={draft.dayRate} onChange={(e) => setDraft({ ...draft, dayRate: e.target.value })} />
      </label>
      <label>
        Currency
        <input type="text" name="currency" maxLength={3} placeholder="GBP" value={draft.currency} onChange={(e) => setDraft({ ...draft, currency: e.target.value })} />
      </label>
    </div>
  );
}

/** The working hours (owners): the studio's week, or intervals on the artist's clock. */
export function HoursFields({ draft, setDraft }: Props) {
  const put = (i: number, h: WorkingInterval) => setDraft({ ...draft, hours: draft.hours.map((x, j) => (j === i ? h : x)) });
  return (
    <fieldset className="profile-list">
      <legend>Working hours</legend>
      <label className="profile-list__check">
        <input type="checkbox" checked={draft.studioWeek} onChange={(e) => setDraft({ ...draft, studioWeek: e.target.checked })} />
        The studio's working week
      </label>
      {draft.studioWeek
        ? null
        : draft.hours.map((h, i) => (
            <div key={i} className="profile-list__row">
              <select aria-label={`Hours ${i + 1} day`} value={h.day} onChange={(e) => put(i, { ...h, day: Number(e.target.value) })}>
                {WEEKDAYS.map((d, k) => (
                  <option key={d} value={k + 1}>
                    {d}
                  </option>
                ))}
              </select>
              <input type="text" aria-label={`Hours ${i + 1} start`} placeholder="09:00" pattern="\d{2}:\d{2}" value={h.start} onChange={(e) => put(i, { ...h, start: e.target.value })} />
              <input type="text" aria-label={`Hours ${i + 1} end`} placeholder="18:00" pattern="\d{2}:\d{2}" value={h.end} onChange={(e) => put(i, { ...h, end: e.target.value })} />
              <button type="button" aria-label={`Remove hours ${i + 1}`} onClick={() => setDraft({ ...draft, hours: draft.hours.filter((_, j) => j !== i) })}>
                ✕
              </button>
            </div>
          ))}
      {draft.studioWeek ? null : (
        <button type="button" onClick={() => setDraft({ ...draft, hours: [...draft.hours, { day: 1, start: "09:00", end: "18:00" }] })}>
          Add hours
        </button>
      )}
    </fieldset>
  );
}
