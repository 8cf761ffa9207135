// A profile as text, for those who may only read it (a manager): bio,
// skills with levels and years, portfolio links, languages, location, zone,
// working hours, and the day rate for owners and managers.

import type { WorkingInterval } from "../../../src/index.js";
import { formatHours, type ProfileView } from "./profileApi.js";

interface Props {
  profile: ProfileView;
  /** The artist's skill tags (those without a level are listed without one). */
  tags: readonly string[];
  hours: WorkingInterval[] | undefined;
  rate: boolean;
}

export function ProfileRead({ profile: p, tags, hours, rate }: Props) {
  const unlevelled = tags.filter((t) => !p.skills.some((s) => s.name === t));
  return (
    <div className="profile-read" data-testid="profile-read">
      <p className="profile-read__bio">{p.bio || <span className="muted">No bio.</span>}</p>
      <h3 className="panel__sub">Skills</h3>
      {p.skills.length + unlevelled.length === 0 ? (
        <p className="muted">None listed.</p>
      ) : (
        <ul className="profile-read__list" aria-label="Skills">
          {p.skills.map((s) => (
            <li key={s.name}>
              {s.name} · level {s.level}
              {s.years !== undefined ? ` · ${s.years} ${s.years === 1 ? "year" : "years"}` : ""}
            </li>
          ))}
          {unlevelled.map((t) => (
            <li key={t}>
              {t} <span className="muted small">(no level)</span>
            </li>
          ))}
        </ul>
      )}
      <h3 className="panel__sub">Portfolio</h3>
      {p.portfolio.length === 0 ? (
        <p className="muted">No links.</p>
      ) : (
        <ul className="profile-read__list" aria-label="Portfolio">
          {p.portfolio.map((l) => (
            <li key={l.url}>
              <a href={l.url} target="_blank" rel="noopener noreferrer">
                {l.title}
              </a>{" "}
              <span className="muted small">({l.kind})</span>
            </li>
          ))}
        </ul>
      )}
      <dl className="profile-read__facts">
        <dt>Languages</dt>
        <dd>{p.languages.length > 0 ? p.languages.join(", ") : "—"}</dd>
        <dt>Location</dt>
        <dd>{p.location ?? "—"}</dd>
        <dt>Time zone</dt>
        <dd>{p.timezone}</dd>
        <dt>Working hours</dt>
        <dd data-testid="profile-hours">{formatHours(hours)}</dd>
      </dl>
      {rate ? <RateLine profile={p} /> : null}
    </div>
  );
}

/** "Day rate: 450 GBP" (owners and managers; a freelancer is never sent the rate). */
export function RateLine({ profile: p }: { profile: ProfileView }) {
  return (
    <p className="profile-read__rate" data-testid="profile-rate">
      Day rate: {p.dayRate === null ? "none" : `${p.dayRate} ${p.currency ?? ""}`.trim()}
    </p>
  );
}
