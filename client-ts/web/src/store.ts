// The app's state (Zustand) and everything that changes it, one module per
// concept under `store/`; components import this file only.
//
// * `store/state.ts` — `BoardState`, its initial value, `useBoard`;
// * `store/session.ts` — sign in, connect and watch, token refresh, sign out;
// * `store/live.ts` — the client and its subscriptions (module state, not
//   rendered), `booking(key)`;
// * `store/roster.ts` — every artist and project (REST, then live events);
// * `store/window.ts` — the bookings of the rows and weeks on screen plus a
//   margin: a `window` view, moved as the board scrolls;
// * `store/fold.ts` — the subscriptions' changes folded into the store at most
//   once per frame, re-indexing only the artists whose bookings changed;
// * `store/commands.ts` — booking commands tracked from send to durable;
// * `store/notices.ts` — notices, and a refusal's reason, conflicts and free
//   windows; `store/marks.ts` — the "saved" and "refused" marks on bars;
// * `store/selection.ts` — selection, side panel, zoom, filters, presence;
// * `store/timeoff.ts` — time-off commands (request, decide, cancel);
// * `store/search.ts` — "Find someone": the search and the holds it places;
// * `store/undoPlan.ts`, `store/history.ts`, `store/undo.ts` — undo and redo
//   of board edits by compensating commands;
// * `store/ask.ts` — a question before a change (moving a confirmed booking);
// * `store/inbox.ts` — the user's notifications: first page, live events,
//   marking read, opening one; `store/reveal.ts` — a booking brought into
//   view on the board (scrolled to, selected, its panel open).
//
// The TypeScript client owns the data: a `tenant` subscription started
// without a snapshot (presence, artist and project events) and a `window`
// subscription for the bookings on screen (for a freelancer, one `artist`
// view for both), whose maps it keeps current (snapshot, events, this tab's
// optimistic changes).

export { useBoard, type BoardState, type Notice, type Reveal, type Window } from "./store/state.js";
export { booking } from "./store/live.js";
export { signOut, start, wsUrl } from "./store/session.js";
export { challengeHold, createBooking, respondToBooking, transitionBooking, updateBooking } from "./store/commands.js";
export { redo, undo } from "./store/undo.js";
export { ask, answerAsk, guardedUpdate } from "./store/ask.js";
export { dismiss, notify } from "./store/notices.js";
export { openArtistPanel, publishPresence, select, setFilters, setZoom } from "./store/selection.js";
export { cancelTimeOff, decideTimeOff, requestTimeOff } from "./store/timeoff.js";
export { showRegion } from "./store/window.js";
export { loadInbox, loadOlder, markRead, openNotification } from "./store/inbox.js";
export { revealBooking, revealed } from "./store/reveal.js";
export { openFind, placeHold, searchArtists, skillsParam, type SearchQuery, type WantedSkill } from "./store/search.js";
