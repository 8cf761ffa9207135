// Signing in: `POST /api/v1/auth/login` → access + refresh tokens, kept in
// memory and in sessionStorage (this tab only, gone when it closes), refreshed
// a minute before the access token expires (`/auth/refresh`, single-use
// refresh tokens), revoked by `/auth/logout`. The answers' shapes: `rest.ts`.

import { z } from "zod";
import { ErrorBody, LoginResponse, data } from "./rest.js";

const STORAGE_KEY = "pt.session";
/** Refresh this long before the access token expires (or halfway, for short-lived tokens). */
const REFRESH_AHEAD_MS = 60_000;

export const DEMO_ACCOUNTS = ["owner@demo.studio", "manager@demo.studio", "freelancer@demo.studio"];
export const DEMO_PASSWORD = "demo-studio-2026";

const TokenAnswer = data(LoginResponse);

export interface Session {
  accessToken: string;
  refreshToken: string;
  /** ms since the epoch. */
  accessExpiresAt: number;
  tenant: { id: string; name: string };
  user: { id: string; email: string; displayName: string };
  /** `studio_owner`, `studio_manager` or `freelancer`. */
  role: string;
  /** A freelancer's own artist. */
  artistId?: string;
}

const StoredSession = z.object({
  accessToken: z.string(),
  refreshToken: z.string(),
  accessExpiresAt: z.number(),
  tenant: z.object({ id: z.string(), name: z.string() }),
  user: z.object({ id: z.string(), email: z.string(), displayName: z.string() }),
  role: z.string(),
  artistId: z.string().optional(),
});

export class AuthError extends Error {
  override readonly name = "AuthError";
  constructor(
    message: string,
    readonly status: number,
    readonly code: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

function fromAnswer(json: unknown): Session {
  const d = TokenAnswer.parse(json).data;
  const expires = Date.parse(d.accessExpiresAt);
  return {
    accessToken: d.accessToken,
    refreshToken: d.refreshToken,
    accessExpiresAt: Number.isFinite(expires) ? expires : Date.now() + 15 * 60_000,
    tenant: d.tenant,
    user: { id: d.user.id, email: d.user.email, displayName: d.user.displayName || d.user.email.split("@")[0]! },
    role: d.role,
    ...(d.artistId ? { artistId: d.artistId } : {}),
  };
}

/** A refusal as an `AuthError`; `login`: a 401 means a wrong email or password (said one way). */
async function failure(res: Response, login = true): Promise<AuthError> {
  let code = "error";
  let message = `${res.status} ${res.statusText}`;
  try {
    const e = ErrorBody.parse(await res.json()).error;
    code = e.code;
    message = e.message;
  } catch {
    // not our envelope
  }
  const retry = Number(res.headers.get("retry-after"));
  if (res.status === 401 && login) message = code === "unauthenticated" ? "Wrong email or password." : message;
  if (res.status === 429) message = `Too many attempts. Try again in ${Number.isFinite(retry) && retry > 0 ? retry : "a few"} s.`;
  return new AuthError(message, res.status, code, Number.isFinite(retry) ? retry : undefined);
}

function postJson(path: string, body: unknown, token?: string): Promise<Response> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (token) headers.authorization = `Bearer ${token}`;
  return fetch(path, { method: "POST", headers, body: JSON.stringify(body) });
}

/** Signs in; `tenantId` picks the studio for someone who belongs to several. */
export async function login(email: string, password: string, tenantId?: string): Promise<Session> {
  const res = await postJson("/api/v1/auth/login", tenantId ? { email, password, tenantId } : { email, password });
  if (res.ok) return fromAnswer(await res.json());
  throw await failure(res);
}

/**
 * Accepts an invitation (`POST /auth/accept-invitation`): a new account sets
 * its display name and password; an existing one gives its password. Answers
 * signed in, as a login does.
 */
export async function acceptInvitation(token: string, password: string, displayName?: string): Promise<Session> {
  const res = await postJson("/api/v1/auth/accept-invitation", displayName ? { token, password, displayName } : { token, password });
  if (res.ok) return fromAnswer(await res.json());
  throw await failure(res, false);
}

export async function refresh(session: Session): Promise<Session> {
  const res = await postJson("/api/v1/auth/refresh", { refreshToken: session.refreshToken });
  if (!res.ok) throw await failure(res);
  return fromAnswer(await res.json());
}

/** Revokes the session on the server (best effort) and forgets it here. */
export async function logout(session: Session | undefined): Promise<void> {
  forget();
  if (!session) return;
  try {
    await postJson("/api/v1/auth/logout", {}, session.accessToken);
  } catch {
    // offline: the refresh token dies with its family's expiry anyway
  }
}

export function save(session: Session): void {
  try {
    sessionStorage.setItem(STORAGE_KEY, JSON.stringify(session));
  } catch {
    // storage disabled: memory only
  }
}

export function forget(): void {
  try {
    sessionStorage.removeItem(STORAGE_KEY);
  } catch {
    // storage disabled
  }
}

export function restore(): Session | undefined {
  try {
    const raw = sessionStorage.getItem(STORAGE_KEY);
    if (!raw) return undefined;
    return StoredSession.parse(JSON.parse(raw)) as Session;
  } catch {
    return undefined;
  }
}

/** Milliseconds until `session` should be refreshed. */
export function refreshDelay(session: Session, now = Date.now()): number {
  const lifetime = session.accessExpiresAt - now;
  return Math.max(0, lifetime - REFRESH_AHEAD_MS, lifetime / 2);
}
