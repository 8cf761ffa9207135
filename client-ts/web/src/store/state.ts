// The board's state (Zustand): its shape, its initial value, and the store
// itself. Components read it with `useBoard(selector)`; only the modules
// under `store/` write it.

import { create } from "zustand";
import type { Artist, ClientState, PresenceState } from "../../../src/index.js";
import type { Session } from "../auth.js";
import { EMPTY_INBOX, type Inbox } from "../inbox/model.js";
import type { ArtistBookings, Filters, ProjectNames } from "../model.js";
import { DEFAULT_WORKING_WEEK, type WorkingWeek, type Zoom } from "../time.js";

export interface Window {
  start: number;
  end: number;
}

export interface Notice {
  id: number;
  tone: "error" | "info";
  title: string;
  message: string;
  conflicts: { title: string; status: string; start: number; end: number }[];
  freeWindows: Window[];
  /** For a refused move/resize/create: re-issue it at a free window. */
  retry?: (w: Window) => void;
  /** For a change refused as `unavailable`: re-send it with `allowOvertime` ("Book anyway (overtime)"). */
  overtime?: () => void;
  /** For a pencil or confirmed booking refused as a `conflict`: re-send it with `queueIfBusy` ("Queue as the next hold"). */
  queue?: () => void;
}

export interface BoardState {
  session: Session | undefined;
  /** Why the sign-in screen is shown again (session expired …). */
  signInMessage: string | undefined;
  conn: ClientState | "idle";
  ready: boolean;
  /** Bumps whenever bookings change; components re-read `index`/`booking()`. */
  rev: number;
  artists: Artist[];
  /** The studio's projects, by id: the tenant snapshot's (live), or for a freelancer `GET /projects` (theirs). */
  projects: ProjectNames;
  index: Map<string, ArtistBookings>;
  pending: ReadonlySet<string>;
  /** Accepted, not yet durable: key → number of such commands. */
  unsaved: ReadonlyMap<string, number>;
  justSaved: ReadonlySet<string>;
  snapping: ReadonlySet<string>;
  /** Others in the view, by session id. */
  others: ReadonlyMap<string, PresenceState>;
  mySessionId: string;
  /** The studio's working days and hours (shading); Monday–Friday until the studio answers. */
  workingWeek: WorkingWeek;

  zoom: Zoom;
  filters: Filters;
  /** The focused/selected booking's key. */
  selected: string | undefined;
  panelOpen: boolean;
  /** The artist whose time off or profile the side panel shows (instead of a booking). */
  artistPanel: string | undefined;
  /** What the artist panel shows: their time off or their profile. */
  artistPanelKind: ArtistPanelKind;
  /** The side panel shows "Find someone" (when no booking or artist panel is open). */
  findOpen: boolean;
  notices: Notice[];
  /** The side panel was opened by a click (focus stays on the bar) rather than by Enter or a create (focus goes to its title). */
  panelFocus: boolean;
  /** A question before a change (moving a confirmed booking …), shown as a dialog over the board. */
  ask: Ask | undefined;
  /** What Ctrl+Z / Ctrl+Shift+Z would do now ("Undo move the booking"), for the toolbar. */
  undoLabel: string | undefined;
  redoLabel: string | undefined;
  /** The studio's settings beyond the week: the default hold duration (minutes) and holidays ("YYYY-MM-DD", studio's calendar). */
  studio: StudioExtras;
  /** The signed-in user's notifications (`store/inbox.ts`). */
  inbox: Inbox;
  /** A booking to bring into view: the board scrolls to it once it is drawn (`store/reveal.ts`). */
  reveal: Reveal | undefined;
}

export interface Reveal {
  key: string;
  artistId: string;
  start: number;
  /** Focus its bar once drawn (not for a booking the board does not show: cancelled …). */
  focus: boolean;
}

export interface Ask {
  title: string;
  text: string;
  action: string;
  run: () => void;
}

export interface StudioExtras {
  defaultHoldMinutes: number;
  /** How long a challenged 1st hold's holder has to answer (the studio's setting). */
  challengeHours: number;
  holidays: ReadonlySet<string>;
}

/** The artist side panels. */
export type ArtistPanelKind = "timeOff" | "profile";

export const initial: BoardState = {
  session: undefined,
  signInMessage: undefined,
  conn: "idle",
  ready: false,
  rev: 0,
  artists: [],
  projects: new Map(),
  index: new Map(),
  pending: new Set(),
  unsaved: new Map(),
  justSaved: new Set(),
  snapping: new Set(),
  others: new Map(),
  mySessionId: "",
  workingWeek: DEFAULT_WORKING_WEEK,
  zoom: "week",
  filters: { text: "", skill: "", project: "", groupBy: "none" },
  selected: undefined,
  panelOpen: false,
  artistPanel: undefined,
  artistPanelKind: "timeOff",
  findOpen: false,
  notices: [],
  panelFocus: true,
  ask: undefined,
  undoLabel: undefined,
  redoLabel: undefined,
  studio: { defaultHoldMinutes: 2 * 24 * 60, challengeHours: 24, holidays: new Set() },
  inbox: EMPTY_INBOX,
  reveal: undefined,
};

export const useBoard = create<BoardState>(() => initial);
export const set = useBoard.setState;
export const get = useBoard.getState;
