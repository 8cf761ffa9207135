// The Studio admin area's REST answers as zod schemas (the `{ data }` inner
// objects), each tied to the type generated from the server's DTO like those
// in `rest.ts`: `npm run typecheck` fails if the server could send something
// a schema would refuse.

import { z } from "zod";
import type { Artist as ArtistDto } from "../../../src/generated/Artist.js";
import type { CreatedInvitation as CreatedInvitationDto } from "../../../src/generated/CreatedInvitation.js";
import type { InvitationView as InvitationViewDto } from "../../../src/generated/InvitationView.js";
import type { MemberView as MemberViewDto } from "../../../src/generated/MemberView.js";
import { UserSummary, type Tie } from "../rest.js";

/** An artist as `/artists` answers it (the fields this area edits; the rest is not read). */
export const ArtistRecord = z.object({
  id: z.string(),
  name: z.string(),
  email: z.string().nullable(),
  skills: z.array(z.string()),
  timezone: z.string(),
  active: z.boolean(),
  version: z.number(),
});
export type ArtistRecord = z.output<typeof ArtistRecord>;
export type ArtistRecordTie = Tie<typeof ArtistRecord, ArtistDto>;

/** `GET /studio/members`: one member. */
export const Member = z.object({ user: UserSummary, role: z.string(), artistId: z.string().nullable() });
export type Member = z.output<typeof Member>;
export type MemberTie = Tie<typeof Member, MemberViewDto>;

/** How a member is named: their display name, else their email. */
export function memberName(m: Member): string {
  return m.user.displayName || m.user.email;
}

/** `GET /studio/invitations`: one invitation (never its token). */
export const Invitation = z.object({
  id: z.string(),
  email: z.string(),
  role: z.string(),
  artistId: z.string().nullable(),
  createdAt: z.string(),
  expiresAt: z.string(),
  expired: z.boolean(),
});
export type Invitation = z.output<typeof Invitation>;
export type InvitationTie = Tie<typeof Invitation, InvitationViewDto>;

/** `POST /studio/invitations`: the invitation and its one-time token. */
export const CreatedInvitation = z.object({ invitation: Invitation, token: z.string() });
export type CreatedInvitationTie = Tie<typeof CreatedInvitation, CreatedInvitationDto>;
