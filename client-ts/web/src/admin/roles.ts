// The studio's roles as people read them, and who may open which part of the
// Studio admin area. The server checks every call too; these only decide
// what is shown.

import type { Session } from "../auth.js";

export const ROLES = ["studio_owner", "studio_manager", "freelancer"] as const;
export type RoleName = (typeof ROLES)[number];

export const ROLE_TEXT: Record<string, string> = {
  studio_owner: "Owner",
  studio_manager: "Manager",
  freelancer: "Freelancer",
};

export function roleText(role: string): string {
  return ROLE_TEXT[role] ?? role;
}

/** Owners manage artists, members and invitations (`artists:write`, `members:manage`). */
export function isOwner(session: Pick<Session, "role"> | undefined): boolean {
  return session?.role === "studio_owner";
}

/** Owners and managers: calendar feeds (`calendar_feeds:manage`) and bookings import/export. */
export function isOwnerOrManager(session: Pick<Session, "role"> | undefined): boolean {
  return session?.role === "studio_owner" || session?.role === "studio_manager";
}

/** Owners subscribe URLs to the studio's events and read their delivery logs (`webhooks:manage`). */
export function mayManageWebhooks(session: Pick<Session, "role"> | undefined): boolean {
  return isOwner(session);
}
