// The artist form's values and what they become on the wire: a `NewArtist`
// to create, or an `ArtistPatch` of the changed fields (with the version the
// form was opened on) to edit. Skills are typed as a comma-separated list.
// No other checks here: the server says what is wrong, field by field.

import type { ArtistPatch, NewArtist } from "../../../src/index.js";

export interface ArtistForm {
  name: string;
  email: string;
  /** Comma-separated. */
  skills: string;
  timezone: string;
  active: boolean;
}

export type ArtistFields = Exclude<keyof ArtistForm, "active">;

/** What the form needs of an artist (the live store's and the REST answer's shapes both fit). */
export interface ArtistLike {
  id: string;
  name: string;
  email: string | null;
  skills: readonly string[];
  timezone: string;
  active: boolean;
  version: number;
}

/** A new artist's form: the browser's own time zone as a start. */
export function emptyArtistForm(): ArtistForm {
  return { name: "", email: "", skills: "", timezone: Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC", active: true };
}

export function artistFormOf(a: ArtistLike): ArtistForm {
  return { name: a.name, email: a.email ?? "", skills: a.skills.join(", "), timezone: a.timezone, active: a.active };
}

export function skillList(s: string): string[] {
  return s
    .split(",")
    .map((t) => t.trim())
    .filter((t) => t !== "");
}

export function toNewArtist(f: ArtistForm): NewArtist {
  const a: NewArtist = { name: f.name, skills: skillList(f.skills), active: f.active };
  if (f.email.trim() !== "") a.email = f.email.trim();
  if (f.timezone.trim() !== "") a.timezone = f.timezone.trim();
  return a;
}

/** The fields that differ from `before`; a cleared email is sent as `null` (removes it). */
export function toArtistPatch(before: ArtistLike, f: ArtistForm): ArtistPatch {
  const was = artistFormOf(before);
  const patch: ArtistPatch = { version: before.version };
  if (f.name !== was.name) patch.name = f.name;
  if (f.email.trim() !== was.email) patch.email = f.email.trim() === "" ? null : f.email.trim();
  if (skillList(f.skills).join(",") !== skillList(was.skills).join(",")) patch.skills = skillList(f.skills);
  if (f.timezone.trim() !== was.timezone) patch.timezone = f.timezone.trim();
  if (f.active !== was.active) patch.active = f.active;
  return patch;
}

/** The form field a server field error is about. */
export function artistField(serverField: string): ArtistFields | undefined {
  const f = serverField.replace(/^(artist|patch)\./, "");
  return (["name", "email", "skills", "timezone"] as const).find((k) => k === f);
}

/** IANA zones the browser knows, for the time zone field's suggestions. */
export function knownTimeZones(): string[] {
  const intl = Intl as typeof Intl & { supportedValuesOf?: (key: string) => string[] };
  try {
    return intl.supportedValuesOf?.("timeZone") ?? [];
  } catch {
    return [];
  }
}
