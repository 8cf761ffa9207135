// Quiet hours in the notification settings: on or off, from and to (24-hour
// times) and the time zone whose clock they are on — the browser's at first;
// the zones are the browser's list (`knownTimeZones`, as the artist form's).
// Email is held back while they last and sent when they end; the in-app
// inbox is not affected. A refusal shows under its input.

import { useMemo } from "react";
import { knownTimeZones } from "../admin/artistForm.js";
import { browserZone, spansMidnight, zoneOptions, type PrefsForm, type QuietField, type QuietProblems } from "./preferences.js";

interface Props {
  form: PrefsForm;
  problems: QuietProblems;
  onChange: (f: PrefsForm) => void;
}

export function QuietHoursFields({ form, problems, onChange }: Props) {
  const zones = useMemo(() => zoneOptions(knownTimeZones(), form.timezone, browserZone()), [form.timezone]);
  const off = !form.quiet;
  const bind = (key: Exclude<QuietField, "quietHours">) => ({
    disabled: off,
    value: form[key],
    "aria-invalid": problems[key] ? true : undefined,
    "aria-describedby": problems[key] ? `quiet-${key}-error` : undefined,
    onChange: (e: { target: { value: string } }) => onChange({ ...form, [key]: e.target.value }),
    "data-testid": `quiet-${key}`,
  });
  const note = (key: QuietField) =>
    problems[key] ? (
      <span className="field__error" id={`quiet-${key}-error`}>
        {problems[key]}
      </span>
    ) : null;
  const field = (key: Exclude<QuietField, "quietHours">) => `field${problems[key] ? " field--invalid" : ""}`;

  return (
    <fieldset className="prefs-quiet" aria-describedby="quiet-hint">
      <legend>Quiet hours</legend>
      <label className="prefs-quiet__toggle">
        <input type="checkbox" checked={form.quiet} onChange={(e) => onChange({ ...form, quiet: e.target.checked })} data-testid="quiet-toggle" />
        Hold email back during quiet hours
      </label>
      <div className="prefs-quiet__fields">
        <label className={field("start")}>
          <span>From</span>
          <input type="time" {...bind("start")} />
          {note("start")}
        </label>
        <label className={field("end")}>
          <span>To</span>
          <input type="time" {...bind("end")} />
          {note("end")}
        </label>
        <label className={field("timezone")}>
          <span>Time zone</span>
          <select {...bind("timezone")}>
            {zones.map((z) => (
              <option key={z} value={z}>
                {z.replaceAll("_", " ")}
              </option>
            ))}
          </select>
          {note("timezone")}
        </label>
      </div>
      {note("quietHours")}
      <p className="field__hint" id="quiet-hint">
        No email from the start to the end on that time zone's clock: what comes meanwhile is emailed when they end. The inbox is not affected.
        {form.quiet && spansMidnight(form.start, form.end) ? " These span midnight: they end the next morning." : ""}
      </p>
    </fieldset>
  );
}
