// The Settings tab (owners): the studio's name, time zone, default hold
// duration (in hours; the API keeps minutes) and working week, saved with one
// `PATCH /studio` of the changed fields, and its public holidays
// (`Holidays.tsx`). The board shades non-working time from the tenant
// snapshot, so a saved change shows there live.

import { useEffect, useMemo, useState, type FormEvent } from "react";
import { ApiError, apiCall } from "../api.js";
import { Holidays } from "./Holidays.js";
import { readable, sentence } from "./readable.js";
import { DAYS, formOf, patchOf, type SettingsForm as Form } from "./settingsForm.js";
import { Settings as SettingsSchema, type Settings } from "./studioSchemas.js";
import "./settings.css";

/** The studio's settings, read once; `set` keeps a saved answer. */
function useSettings() {
  const [settings, set] = useState<Settings | undefined>();
  const [error, setError] = useState<string | undefined>();
  useEffect(() => {
    let stale = false;
    apiCall("GET", "/studio", SettingsSchema).then(
      (s) => !stale && set(s),
      (e) => !stale && setError(readable(e)),
    );
    return () => {
      stale = true;
    };
  }, []);
  return { settings, error, set };
}

export function SettingsTab() {
  const { settings, error, set } = useSettings();
  return (
    <section className="admin-settings" aria-labelledby="settings-title">
      <h2 id="settings-title">Settings</h2>
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
      {settings ? (
        <>
          <SettingsForm key={settings.id} settings={settings} onSaved={set} />
          <Holidays settings={settings} onSaved={set} />
        </>
      ) : error ? null : (
        <p className="muted">Loading…</p>
      )}
    </section>
  );
}

/** The fields this form shows a refusal under (by the API's names). */
const FIELD_IDS = { name: 1, timezone: 1, defaultHoldMinutes: 1, challengeHours: 1, "workingWeek.days": 1, "workingWeek.start": 1, "workingWeek.end": 1 } as const;
type Problems = Partial<Record<keyof typeof FIELD_IDS, string>>;

function SettingsForm({ settings, onSaved }: { settings: Settings; onSaved: (s: Settings) => void }) {
  const [form, setDraft] = useState<Form>(() => formOf(settings));
  const [problems, setProblems] = useState<Problems>({});
  const [error, setError] = useState<string | undefined>();
  const [status, setStatus] = useState("");
  const [busy, setBusy] = useState(false);
  // An edit makes an earlier "Saved." stale.
  const setForm = (f: Form) => {
    setDraft(f);
    setStatus("");
  };
  const zones = useMemo(() => Intl.supportedValuesOf("timeZone"), []);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const patch = patchOf(settings, form);
    if (Object.keys(patch).length === 0) return setStatus("Nothing changed.");
    setBusy(true);
    setStatus("");
    try {
      const saved = await apiCall("PATCH", "/studio", SettingsSchema, patch);
      setProblems({});
      setError(undefined);
      setDraft(formOf(saved));
      onSaved(saved);
      setStatus("Saved.");
    } catch (err) {
      const fields = err instanceof ApiError ? err.fields : [];
      const byField: Problems = {};
      for (const f of fields) if (f.field in FIELD_IDS) byField[f.field as keyof Problems] = sentence(f.reason);
      setProblems(byField);
      // Each field's reason is under it already; the rest (if any) goes with the message.
      const rest = fields.filter((f) => !(f.field in FIELD_IDS)).map((f) => `${f.field}: ${f.reason}`);
      setError(fields.length > 0 ? sentence([err instanceof Error ? err.message : "", ...rest].join(" ")) : readable(err));
    } finally {
      setBusy(false);
    }
  };
  const bad = (key: keyof Problems) => ({ "aria-invalid": problems[key] ? true : undefined, "aria-describedby": problems[key] ? `st-${key}-error` : undefined });
  const note = (key: keyof Problems) =>
    problems[key] ? (
      <span className="field__error" id={`st-${key}-error`}>
        {problems[key]}
      </span>
    ) : null;
  const toggle = (n: number) => setForm({ ...form, days: form.days.includes(n) ? form.days.filter((d) => d !== n) : [...form.days, n].sort((a, b) => a - b) });

  return (
    <form className="admin-form" onSubmit={submit} aria-label="Studio settings" data-testid="settings-form">
      <div className="form-grid">
        <label className={`field${problems.name ? " field--invalid" : ""}`}>
          <span>Studio name</span>
          <input required value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} {...bad("name")} />
          {note("name")}
        </label>
        <label className={`field${problems.timezone ? " field--invalid" : ""}`}>
          <span>Time zone</span>
          <input required list="settings-zones" value={form.timezone} onChange={(e) => setForm({ ...form, timezone: e.target.value })} {...bad("timezone")} />
          <datalist id="settings-zones">
            {zones.map((z) => (
              <option key={z} value={z} />
            ))}
          </datalist>
          {note("timezone")}
        </label>
        <label className={`field${problems.defaultHoldMinutes ? " field--invalid" : ""}`}>
          <span>Default hold duration (hours)</span>
          <input type="number" min="0" step="any" inputMode="decimal" required value={form.holdHours} onChange={(e) => setForm({ ...form, holdHours: e.target.value })} {...bad("defaultHoldMinutes")} />
          {note("defaultHoldMinutes")}
        </label>
        <label className={`field${problems.challengeHours ? " field--invalid" : ""}`}>
          <span>Time to answer a challenge (hours)</span>
          <input type="number" min="1" max="720" step="1" inputMode="numeric" required value={form.challengeHours} onChange={(e) => setForm({ ...form, challengeHours: e.target.value })} {...bad("challengeHours")} />
          {note("challengeHours")}
        </label>
      </div>
      <fieldset className={`admin-week${problems["workingWeek.days"] ? " field--invalid" : ""}`}>
        <legend>Working week</legend>
        <div className="admin-week__days">
          {DAYS.map((d) => (
            <label key={d.n} className="admin-week__day" title={d.long}>
              <input type="checkbox" checked={form.days.includes(d.n)} onChange={() => toggle(d.n)} aria-label={d.long} />
              {d.short}
            </label>
          ))}
        </div>
        {note("workingWeek.days")}
        <div className="admin-week__hours">
          <label className={`field${problems["workingWeek.start"] ? " field--invalid" : ""}`}>
            <span>Starts</span>
            <input type="time" required value={form.start} onChange={(e) => setForm({ ...form, start: e.target.value })} {...bad("workingWeek.start")} />
            {note("workingWeek.start")}
          </label>
          <label className={`field${problems["workingWeek.end"] ? " field--invalid" : ""}`}>
            <span>Ends</span>
            <input type="time" required value={form.end} onChange={(e) => setForm({ ...form, end: e.target.value })} {...bad("workingWeek.end")} />
            {note("workingWeek.end")}
          </label>
        </div>
      </fieldset>
      {error ? (
        <p className="form-error" role="alert" data-testid="settings-error">
          {error}
        </p>
      ) : null}
      <div className="admin-form__actions">
        <button type="submit" className="primary" disabled={busy}>
          Save settings
        </button>
        <span className="muted" role="status" data-testid="settings-status">
          {status}
        </span>
      </div>
    </form>
  );
}
