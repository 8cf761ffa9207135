// The notification settings' form: a table of the kinds × {In the app, By
// email}, each row saying what that choice does, then the quiet hours
// (`QuietHoursFields.tsx`). Save sends one `PATCH /me/notification-preferences`
// of only what changed (`preferences.ts`); the server's field errors show
// under their inputs, anything else under the form; "Saved." once stored.

import { useState, type FormEvent } from "react";
import { readable, sentence } from "../admin/readable.js";
import { ApiError, apiCall } from "../api.js";
import { NotificationPreferences, browserZone, formOf, kindLabel, kindsOf, outcomeText, patchOf, problemKey, type ChannelChoice, type PrefsForm, type QuietProblems } from "./preferences.js";
import { QuietHoursFields } from "./QuietHoursFields.js";

interface Props {
  prefs: NotificationPreferences;
  onSaved: (p: NotificationPreferences) => void;
  onClose: () => void;
}

export function PreferencesForm({ prefs, onSaved, onClose }: Props) {
  const [form, setDraft] = useState<PrefsForm>(() => formOf(prefs, browserZone()));
  const [problems, setProblems] = useState<QuietProblems>({});
  const [error, setError] = useState<string | undefined>();
  const [status, setStatus] = useState("");
  const [busy, setBusy] = useState(false);
  // An edit makes an earlier "Saved." stale.
  const setForm = (f: PrefsForm) => {
    setDraft(f);
    setStatus("");
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    const patch = patchOf(prefs, form);
    if (Object.keys(patch).length === 0) return setStatus("Nothing changed.");
    setBusy(true);
    setStatus("");
    try {
      const saved = await apiCall("PATCH", "/me/notification-preferences", NotificationPreferences, patch);
      setProblems({});
      setError(undefined);
      setDraft(formOf(saved, browserZone()));
      onSaved(saved);
      setStatus("Saved.");
    } catch (err) {
      const fields = err instanceof ApiError ? err.fields : [];
      const byField: QuietProblems = {};
      const rest: string[] = [];
      for (const f of fields) {
        const key = problemKey(f.field);
        if (key) byField[key] = sentence(f.reason);
        else rest.push(`${f.field}: ${f.reason}`);
      }
      setProblems(byField);
      const marked = Object.keys(byField).length > 0 ? ["Check the marked fields."] : [];
      setError(fields.length > 0 ? sentence([...marked, ...rest].join(" ")) : readable(err));
    } finally {
      setBusy(false);
    }
  };

  const choose = (kind: string, c: ChannelChoice) => setForm({ ...form, kinds: { ...form.kinds, [kind]: c } });
  return (
    <form className="prefs__form" onSubmit={submit} aria-describedby="prefs-about" noValidate>
      <p className="muted prefs__about" id="prefs-about">
        Choose where each kind of notification reaches you. Off in both, it is not sent; off in the app but on by email, it is emailed and kept in your inbox as
        already read.
      </p>
      <KindTable kinds={kindsOf(prefs)} form={form} onChoose={choose} />
      <QuietHoursFields form={form} problems={problems} onChange={setForm} />
      <p className="field__hint">Email is sent only if this server is set up to send it; if none arrives, ask whoever runs it.</p>
      {error ? (
        <p className="form-error" role="alert" data-testid="prefs-error">
          {error}
        </p>
      ) : null}
      <div className="dialog__actions prefs__actions">
        <span className="muted prefs__status" role="status" data-testid="prefs-status">
          {status}
        </span>
        <button type="button" onClick={onClose}>
          Close
        </button>
        {/* Not `disabled` while saving: the focus would leave the dialog (and Escape with it). */}
        <button type="submit" className="primary" aria-disabled={busy || undefined} data-testid="prefs-save">
          Save
        </button>
      </div>
    </form>
  );
}

interface TableProps {
  kinds: string[];
  form: PrefsForm;
  onChoose: (kind: string, c: ChannelChoice) => void;
}

function KindTable({ kinds, form, onChoose }: TableProps) {
  return (
    <table className="prefs-table">
      <caption className="visually-hidden">Where each kind of notification goes</caption>
      <thead>
        <tr>
          <th scope="col">Notification</th>
          <th scope="col" id="prefs-col-inApp">
            In the app
          </th>
          <th scope="col" id="prefs-col-email">
            By email
          </th>
          <th scope="col">What happens</th>
        </tr>
      </thead>
      <tbody>
        {kinds.map((kind) => {
          const c = form.kinds[kind] ?? { inApp: true, email: true };
          const box = (channel: keyof ChannelChoice) => (
            <td className="prefs-table__check">
              <input
                type="checkbox"
                checked={c[channel]}
                onChange={(e) => onChoose(kind, { ...c, [channel]: e.target.checked })}
                aria-labelledby={`prefs-col-${channel} prefs-kind-${kind}`}
                data-testid={`pref-${kind}-${channel}`}
              />
            </td>
          );
          return (
            <tr key={kind} data-kind={kind}>
              <th scope="row" id={`prefs-kind-${kind}`}>
                {kindLabel(kind)}
              </th>
              {box("inApp")}
              {box("email")}
              <td className={`prefs-table__outcome${!c.inApp && !c.email ? " prefs-table__outcome--off" : ""}`} data-testid={`pref-${kind}-outcome`}>
                {outcomeText(c)}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
