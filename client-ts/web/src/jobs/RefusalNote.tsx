// A refused change, said in full: the server's message, the bookings in the
// way, and when the artist is free instead (an accept that would clash with a
// booking answers `409 conflict` with both).

import type { Refusal } from "./model.js";

export function RefusalNote({ refusal }: { refusal: Refusal }) {
  return (
    <div className="refusal" role="alert" data-testid="refusal">
      <p className="form-error">{refusal.message}</p>
      {refusal.conflicts.length > 0 ? (
        <>
          <p className="refusal__label">In the way:</p>
          <ul>
            {refusal.conflicts.map((c, i) => (
              <li key={i}>{c}</li>
            ))}
          </ul>
        </>
      ) : null}
      {refusal.freeWindows.length > 0 ? (
        <>
          <p className="refusal__label">Free instead:</p>
          <ul data-testid="free-windows">
            {refusal.freeWindows.map((w, i) => (
              <li key={i}>{w}</li>
            ))}
          </ul>
        </>
      ) : null}
    </div>
  );
}
