// The session's life: sign in (or restore), connect and watch the studio
// (its roster and presence here; its bookings through `window.ts`; the
// user's notifications through `inbox.ts`),
// keep the access token fresh, and sign out — back to the sign-in screen,
// saying why, whenever the server ends the session.

import { connect } from "../../../src/index.js";
import * as auth from "../auth.js";
import { fetchStudio } from "../studio.js";
import { foldNow, onChange, onStudioChange, resetFold } from "./fold.js";
import { clearHistory } from "./history.js";
import { loadInbox, resetInbox, watchInbox } from "./inbox.js";
import { live } from "./live.js";
import { notify } from "./notices.js";
import { loadProjectNames } from "./projects.js";
import { loadRoster, resetRoster } from "./roster.js";
import { publishPresence } from "./selection.js";
import { get, initial, set } from "./state.js";
import { reopenWindow, resetWindows } from "./window.js";

let refreshTimer: ReturnType<typeof setTimeout> | undefined;

export function wsUrl(): string {
  return `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/api/v1/ws`;
}

/** Signs in (or restores a stored session) and connects. */
export async function start(session: auth.Session): Promise<void> {
  auth.save(session);
  set({ session, signInMessage: undefined, conn: "connecting" });
  scheduleRefresh(session);
  loadWorkingWeek(session);
  try {
    await open(session);
  } catch (e) {
    // Back to the sign-in screen, saying why (a refused token, a refused view …).
    await signOut(`The board could not open: ${e instanceof Error ? e.message : String(e)}`);
    throw e;
  }
}

async function open(session: auth.Session): Promise<void> {
  // Marks for `npm run bench:web` (and the browser's performance panel).
  performance.mark("pt:connect");
  // A function: every (re)connect sends the newest access token (refreshes replace it).
  const c = await connect(wsUrl(), { token: () => get().session?.accessToken ?? "" });
  live.client = c;
  // Before any view starts: the user's notifications come on the oldest one.
  watchInbox(c);
  c.on("state", (conn) => {
    set({ conn });
    // Closed for good (a refused handshake: an expired or revoked session …): back to sign-in.
    if (conn === "closed" && live.client === c) void signOut("The server closed the session. Please sign in again.");
  });
  c.on("welcome", (w) => {
    set({ mySessionId: w.sessionId });
    if (w.reconnected && live.windowed) reopenWindow();
  });
  c.on("goodbye", (g) => {
    if (g.code === "unsupported_version") notify({ tone: "error", title: "Connection refused", message: g.reason });
  });
  set({ conn: c.state, mySessionId: c.sessionId });
  const own = session.role === "freelancer" && session.artistId;
  if (own) {
    // A freelancer may watch only their own artist: one view for everything.
    const s = c.subscribe({ kind: "artist", artistId: own });
    void loadProjectNames();
    live.sub = live.studio = s;
    s.onChange(onChange);
    await s.ready;
    void loadInbox();
  } else {
    // Everyone else: the studio without its bookings (presence, artist and
    // project events from now on, the roster over REST), and the bookings
    // through windows of what the board shows (`window.ts`, once it has rows).
    const studio = c.subscribe({ kind: "tenant" }, { fromSeq: c.serverSeq });
    live.studio = studio;
    live.windowed = true;
    studio.onChange(onStudioChange);
    void studio.ready.then(loadInbox, () => undefined);
    await Promise.all([studio.ready, loadRoster()]);
    foldNow();
    set({ ready: true });
  }
  publishPresence();
}

/** Reads the studio's working week, holidays and hold duration in the background; on failure the default stays. */
function loadWorkingWeek(session: auth.Session): void {
  fetchStudio(session.accessToken).then(
    (st) => {
      if (st && get().session?.tenant.id === session.tenant.id) set({ workingWeek: st.week, studio: { defaultHoldMinutes: st.defaultHoldMinutes, challengeHours: st.challengeHours, holidays: st.holidays } });
    },
    () => undefined, // offline: the default (Monday to Friday) stays
  );
}

export async function signOut(message?: string): Promise<void> {
  const session = get().session;
  if (refreshTimer !== undefined) clearTimeout(refreshTimer);
  refreshTimer = undefined;
  const c = live.client;
  live.client = undefined;
  live.sub = live.studio = undefined;
  live.windowed = false;
  resetWindows();
  resetRoster();
  resetFold();
  resetInbox();
  clearHistory();
  set({ ...initial, signInMessage: message });
  await Promise.all([c?.close(), auth.logout(session)]);
}

function scheduleRefresh(session: auth.Session): void {
  if (refreshTimer !== undefined) clearTimeout(refreshTimer);
  const delay = auth.refreshDelay(session);
  refreshTimer = setTimeout(async () => {
    try {
      const next = await auth.refresh(session);
      auth.save(next);
      set({ session: next });
      scheduleRefresh(next);
    } catch (e) {
      if (e instanceof auth.AuthError && e.status === 429) {
        refreshTimer = setTimeout(() => scheduleRefresh(session), (e.retryAfterSeconds ?? 5) * 1000);
        return;
      }
      if (e instanceof auth.AuthError) await signOut("Your session has ended. Please sign in again.");
      else refreshTimer = setTimeout(() => scheduleRefresh(session), 5_000); // offline: try again soon
    }
  }, delay);
}
