// Refusals and other messages: the server's reason, the bookings in the way
// and the nearest free windows (a click re-issues the change there), and for
// a change refused as `unavailable`, "Book anyway (overtime)"; for a new
// booking refused as a `conflict`, "Queue as the next hold".

import { useBoard } from "../store.js";
import * as store from "../store.js";
import { formatRange } from "../time.js";

export function Notices() {
  const notices = useBoard((st) => st.notices);
  return (
    <div className="notices" aria-live="assertive">
      {notices.map((n) => (
        <div key={n.id} className={`notice notice--${n.tone}`} role="alert" data-testid="notice">
          <div className="notice__head">
            <strong>{n.title}</strong>
            <button type="button" className="icon-button" aria-label="Dismiss" onClick={() => store.dismiss(n.id)}>
              ✕
            </button>
          </div>
          <p>{n.message}</p>
          {n.overtime ? (
            <p>
              <button
                type="button"
                className="primary"
                onClick={() => {
                  store.dismiss(n.id);
                  n.overtime!();
                }}
              >
                Book anyway (overtime)
              </button>
            </p>
          ) : null}
          {n.queue ? (
            <p>
              <button
                type="button"
                data-testid="queue-if-busy"
                onClick={() => {
                  store.dismiss(n.id);
                  n.queue!();
                }}
              >
                Queue as the next hold
              </button>{" "}
              <span className="small">It becomes the booking you asked for when the slot frees.</span>
            </p>
          ) : null}
          {n.conflicts.length > 0 ? (
            <p className="small">
              In the way:{" "}
              {n.conflicts.map((c, i) => (
                <span key={i}>
                  {i > 0 ? "; " : ""}
                  <em>{c.title}</em> ({c.status}, {formatRange(c.start, c.end)})
                </span>
              ))}
            </p>
          ) : null}
          {n.freeWindows.length > 0 ? (
            <div className="small">
              Free nearby:
              <ul className="notice__windows">
                {n.freeWindows.map((w, i) => (
                  <li key={i}>
                    {n.retry ? (
                      <button
                        type="button"
                        onClick={() => {
                          store.dismiss(n.id);
                          n.retry!(w);
                        }}
                      >
                        {formatRange(w.start, w.end)}
                      </button>
                    ) : (
                      formatRange(w.start, w.end)
                    )}
                  </li>
                ))}
              </ul>
            </div>
          ) : null}
        </div>
      ))}
    </div>
  );
}
