// A fit as people read it: the score out of 100 (a coloured badge; the
// number is always written, so colour is never the only sign) and the
// reasons behind it, one per line ("compositing 4 ≥ 3", "free 9 of 10 days").

import { fitBand, fitLabel } from "./model.js";
import type { JobMatch } from "./schemas.js";

export function FitScore({ fit, label = "Fit" }: { fit: JobMatch | null; label?: string }) {
  if (!fit) return <span className="muted">No fit known</span>;
  return (
    <div className="fit" data-testid="fit" data-score={fit.score}>
      <span className={`fit__score fit__score--${fitBand(fit.score)}`}>
        <span aria-hidden="true">
          {label} {fit.score}
        </span>
        <span className="visually-hidden">{label === "Fit" ? fitLabel(fit) : `${label}: ${fit.score} of 100`}</span>
      </span>
      {fit.reasons.length > 0 ? (
        <ul className="fit__reasons" aria-label="Why">
          {fit.reasons.map((r, i) => (
            <li key={i}>{r}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
