// The profile form's state (strings, as the inputs hold them) made from a
// `ProfileView`, the artist's skill tags and working hours, and the changes to send: a
// `ProfilePatch` of the fields that differ from what was loaded (the rate
// only when the editor may set it), and the working hours when they changed.

import type { ProfilePatch } from "../../../src/generated/ProfilePatch.js";
import type { WorkingInterval } from "../../../src/index.js";
import type { PortfolioKind, ProfileView } from "./profileApi.js";

export interface SkillDraft {
  name: string;
  level: number;
  /** Years of experience; empty: not given. */
  years: string;
}

export interface LinkDraft {
  title: string;
  url: string;
  kind: PortfolioKind;
}

export interface Draft {
  bio: string;
  location: string;
  timezone: string;
  /** Comma-separated. */
  languages: string;
  avatarUrl: string;
  skills: SkillDraft[];
  portfolio: LinkDraft[];
  /** Whole units; empty: no rate. */
  dayRate: string;
  currency: string;
  /** The studio's working week (no hours of their own). */
  studioWeek: boolean;
  hours: WorkingInterval[];
}

/**
 * The skills as the form lists them: the profile's, then the artist's skill
 * tags that have no level yet, at level 1 (what the search counts them as).
 */
export function skillRows(p: ProfileView, tags: readonly string[]): ProfileView["skills"] {
  const levelled = new Set(p.skills.map((s) => s.name));
  return [...p.skills, ...tags.filter((t) => !levelled.has(t)).map((name) => ({ name, level: 1 }))];
}

export function draftOf(p: ProfileView, hours: WorkingInterval[] | undefined, tags: readonly string[] = []): Draft {
  return {
    bio: p.bio,
    location: p.location ?? "",
    timezone: p.timezone,
    languages: p.languages.join(", "),
    avatarUrl: p.avatarUrl ?? "",
    skills: skillRows(p, tags).map((s) => ({ name: s.name, level: s.level, years: s.years === undefined ? "" : String(s.years) })),
    portfolio: p.portfolio.map((l) => ({ ...l })),
    dayRate: p.dayRate === null ? "" : String(p.dayRate),
    currency: p.currency ?? "",
    studioWeek: hours === undefined,
    hours: hours ? hours.map((h) => ({ ...h })) : [],
  };
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** The profile fields of `d` that differ from `p` (empty: nothing to send); with `rate`, the day rate too. */
export function patchOf(d: Draft, p: ProfileView, rate: boolean, tags: readonly string[] = []): ProfilePatch {
  const patch: ProfilePatch = {};
  if (d.bio !== p.bio) patch.bio = d.bio;
  const location = d.location.trim() || null;
  if (location !== p.location) patch.location = location;
  if (d.timezone.trim() !== p.timezone) patch.timezone = d.timezone.trim();
  const languages = d.languages
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  if (!same(languages, p.languages)) patch.languages = languages;
  const avatarUrl = d.avatarUrl.trim() || null;
  if (avatarUrl !== p.avatarUrl) patch.avatarUrl = avatarUrl;
  const skills = d.skills.map((s) => ({ name: s.name.trim(), level: s.level, ...(s.years.trim() !== "" ? { years: Number(s.years) } : {}) }));
  if (!same(skills, skillRows(p, tags))) patch.skills = skills;
  const portfolio = d.portfolio.map((l) => ({ url: l.url.trim(), title: l.title.trim(), kind: l.kind }));
  if (!same(portfolio, p.portfolio)) patch.portfolio = portfolio;
  if (rate) {
    const dayRate = d.dayRate.trim() === "" ? null : Number(d.dayRate);
    const currency = d.currency.trim().toUpperCase();
    if (dayRate !== p.dayRate || (dayRate !== null && currency !== (p.currency ?? ""))) {
      patch.dayRate = dayRate;
      if (dayRate !== null) patch.currency = currency;
    }
  }
  return patch;
}

/** The working hours to send (`null`: the studio's week), or `undefined` when unchanged. */
export function hoursOf(d: Draft, hours: WorkingInterval[] | undefined): WorkingInterval[] | null | undefined {
  const next = d.studioWeek ? null : d.hours.map((h) => ({ day: h.day, start: h.start.trim(), end: h.end.trim() }));
  return same(next, hours ?? null) ? undefined : next;
}
