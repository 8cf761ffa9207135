// Jobs › Job board › Job alerts: a checkbox for being told (a `jobMatched`
// notification, in the bell) when a new public listing asks only for skills
// I have at its level or above (`GET`/`PUT /me/job-alerts`). Turning it on
// takes the skills of my own artist profile in this studio, and the line
// under it says which ("compositing 4, nuke 3"); without an artist with
// skills here the server refuses (422), the box goes back, and the server's
// message is shown. While the answer is on its way the box shows the choice.

import { useEffect, useState } from "react";
import { readable } from "../admin/readable.js";
import { useBoard } from "../store.js";
import { loadJobAlerts, setJobAlerts } from "./actions.js";
import { alertsNote } from "./model.js";
import type { JobAlerts } from "./schemas.js";

export function JobAlertsToggle() {
  const studioId = useBoard((st) => st.session?.tenant.id);
  const [alerts, setAlerts] = useState<JobAlerts | undefined>();
  /** The choice on its way to the server. */
  const [pending, setPending] = useState<boolean | undefined>();
  const [error, setError] = useState<string | undefined>();
  useEffect(() => {
    let stale = false;
    loadJobAlerts().then(
      (a) => !stale && setAlerts(a),
      (e: unknown) => !stale && setError(readable(e)),
    );
    return () => {
      stale = true;
    };
  }, []);

  const toggle = async (enabled: boolean) => {
    if (pending !== undefined) return; // one at a time (the box stays enabled: keyboard focus stays on it)
    setPending(enabled);
    setError(undefined);
    try {
      setAlerts(await setJobAlerts(enabled));
    } catch (e) {
      setError(readable(e));
    } finally {
      setPending(undefined);
    }
  };

  return (
    <section className="job-alerts" aria-labelledby="job-alerts-title" data-testid="job-alerts" data-enabled={alerts ? String(alerts.enabled) : undefined} aria-busy={pending !== undefined}>
      <h3 id="job-alerts-title">Job alerts</h3>
      <label className="check">
        <input
          type="checkbox"
          checked={pending ?? alerts?.enabled ?? false}
          disabled={alerts === undefined}
          aria-describedby="job-alerts-note"
          onChange={(e) => void toggle(e.target.checked)}
        />
        Tell me about new public jobs that match my skills
      </label>
      <p id="job-alerts-note" className="job-alerts__note" aria-live="polite" data-testid="job-alerts-note">
        {alerts ? alertsNote(alerts, studioId) : error ? "" : "Loading…"}
      </p>
      {error ? (
        <p className="form-error" role="alert" data-testid="job-alerts-error">
          {error}
        </p>
      ) : null}
    </section>
  );
}
