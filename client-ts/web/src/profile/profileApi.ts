// An artist's profile over REST: the `ProfileView` the panel reads
// (`GET /api/v1/artist-profiles/{id}`, a zod schema tied to the generated
// type), the patch it sends (`PATCH` the same path; the working hours go to
// `PATCH /api/v1/artists/{id}`), and who may do what with it: owners and
// managers see the day rate; an owner edits everything; a freelancer edits
// their own profile except the rate and the working hours; a manager reads.

import { z } from "zod";
import type { ProfilePatch } from "../../../src/generated/ProfilePatch.js";
import type { ProfileView as ProfileViewDto } from "../../../src/generated/ProfileView.js";
import type { WorkingInterval } from "../../../src/index.js";
import { apiCall } from "../api.js";
import type { Tie } from "../rest.js";

export const PORTFOLIO_KINDS = ["reel", "image", "website", "other"] as const;
export type PortfolioKind = (typeof PORTFOLIO_KINDS)[number];

export const ProfileView = z.object({
  artistId: z.string(),
  name: z.string(),
  timezone: z.string(),
  bio: z.string(),
  skills: z.array(z.object({ name: z.string(), level: z.number(), years: z.number().optional() })),
  portfolio: z.array(z.object({ url: z.string(), title: z.string(), kind: z.enum(PORTFOLIO_KINDS) })),
  location: z.string().nullable(),
  languages: z.array(z.string()),
  avatarUrl: z.string().nullable(),
  dayRate: z.number().nullable(),
  currency: z.string().nullable(),
  version: z.number(),
});
export type ProfileViewTie = Tie<typeof ProfileView, ProfileViewDto>;
export type ProfileView = z.output<typeof ProfileView>;

/** What the server answers to an artist patch (only the version is read). */
const ArtistVersion = z.object({ version: z.number() }).passthrough();

export function loadProfile(artistId: string): Promise<ProfileView> {
  return apiCall("GET", `/artist-profiles/${encodeURIComponent(artistId)}`, ProfileView);
}

export function saveProfile(artistId: string, patch: ProfilePatch): Promise<ProfileView> {
  return apiCall("PATCH", `/artist-profiles/${encodeURIComponent(artistId)}`, ProfileView, patch);
}

/** Sets the artist's weekly hours (`null`: the studio's week); the artist's new version. */
export async function saveWorkingHours(artistId: string, version: number, workingHours: WorkingInterval[] | null): Promise<number> {
  const a = await apiCall("PATCH", `/artists/${encodeURIComponent(artistId)}`, ArtistVersion, { version, workingHours });
  return a.version;
}

type Who = { role: string; artistId?: string } | undefined;

/** Owners and managers: anyone's profile; a freelancer: their own. */
export function mayViewProfile(who: Who, artistId: string): boolean {
  return seesRate(who) || (who?.role === "freelancer" && who.artistId === artistId);
}

/** The day rate is the studio's: owners and managers see it. */
export function seesRate(who: Who): boolean {
  return who?.role === "studio_owner" || who?.role === "studio_manager";
}

/** An owner edits anyone's profile; a freelancer their own. */
export function mayEditProfile(who: Who, artistId: string): boolean {
  return who?.role === "studio_owner" || (who?.role === "freelancer" && who.artistId === artistId);
}

/** The day rate and the working hours: owners only. */
export function mayEditRateAndHours(who: Who): boolean {
  return who?.role === "studio_owner";
}

export const WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"] as const;

/** "Mon 09:00–18:00 · Tue …", or the studio's week when there are none. */
export function formatHours(hours: WorkingInterval[] | undefined): string {
  if (!hours) return "The studio's working week";
  if (hours.length === 0) return "No working hours";
  return [...hours]
    .sort((a, b) => a.day - b.day || a.start.localeCompare(b.start))
    .map((h) => `${WEEKDAYS[h.day - 1] ?? h.day} ${h.start}–${h.end}`)
    .join(" · ");
}
