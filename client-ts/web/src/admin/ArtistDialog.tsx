// Create or edit an artist (owners): name, email, skills, time zone, active.
// `POST /artists` or `PATCH /artists/{id}` with the version the form was
// opened on (a change made meanwhile is refused, and says so). The server's
// field errors appear under their fields; anything else under the form.

import { useEffect, useMemo, useRef, useState, type FormEvent, type ReactNode } from "react";
import { ApiError, apiCall } from "../api.js";
import { artistField, artistFormOf, emptyArtistForm, knownTimeZones, toArtistPatch, toNewArtist, type ArtistFields, type ArtistForm, type ArtistLike } from "./artistForm.js";
import { readable, sentence } from "./readable.js";
import { ArtistRecord } from "./schemas.js";

interface Props {
  /** The artist to edit, or undefined to create one. */
  artist: ArtistLike | undefined;
  onClose: (saved?: ArtistRecord) => void;
}

type Problems = Partial<Record<ArtistFields, string>>;

export function ArtistDialog({ artist, onClose }: Props) {
  const [form, setForm] = useState<ArtistForm>(() => (artist ? artistFormOf(artist) : emptyArtistForm()));
  const [problems, setProblems] = useState<Problems>({});
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const zones = useMemo(knownTimeZones, []);
  const first = useRef<HTMLInputElement>(null);
  useEffect(() => first.current?.focus(), []);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    try {
      const saved = artist
        ? await apiCall("PATCH", `/artists/${artist.id}`, ArtistRecord, toArtistPatch(artist, form))
        : await apiCall("POST", "/artists", ArtistRecord, toNewArtist(form));
      onClose(saved);
    } catch (err) {
      const byField: Problems = {};
      const rest: string[] = [];
      for (const f of err instanceof ApiError ? err.fields : []) {
        const key = artistField(f.field);
        if (key) byField[key] = sentence(f.reason);
        else rest.push(`${f.field}: ${f.reason}`);
      }
      setProblems(byField);
      const marked = Object.keys(byField).length > 0 ? ["Check the marked fields."] : [];
      setError(err instanceof ApiError && err.fields.length > 0 ? [...marked, ...rest].join(" ") : readable(err));
      setBusy(false);
    }
  };
  const field = (key: ArtistFields, label: string, input: ReactNode, hint?: string) => (
    <label className={`field${problems[key] ? " field--invalid" : ""}`}>
      <span>{label}</span>
      {input}
      {hint ? <span className="field__hint" id={`af-${key}-hint`}>{hint}</span> : null}
      {problems[key] ? (
        <span className="field__error" id={`af-${key}-error`} role="alert">
          {problems[key]}
        </span>
      ) : null}
    </label>
  );
  const bind = (key: ArtistFields, hint = false) => ({
    name: key,
    value: form[key],
    "aria-invalid": problems[key] ? true : undefined,
    "aria-describedby": [hint ? `af-${key}-hint` : "", problems[key] ? `af-${key}-error` : ""].filter(Boolean).join(" ") || undefined,
    onChange: (e: { target: { value: string } }) => setForm({ ...form, [key]: e.target.value }),
  });

  return (
    <div className="dialog-backdrop" onKeyDown={(e) => e.key === "Escape" && onClose()}>
      <form className="dialog admin-form" role="dialog" aria-modal="true" aria-labelledby="artist-form-title" onSubmit={submit} data-testid="artist-form">
        <h2 id="artist-form-title">{artist ? `Edit ${artist.name}` : "New artist"}</h2>
        <div className="form-grid">
          {field("name", "Name", <input ref={first} required {...bind("name")} />)}
          {field("email", "Email", <input type="email" {...bind("email")} />)}
          {field("skills", "Skills", <input {...bind("skills", true)} placeholder="compositing, nuke" />, "Separate them with commas.")}
          {field("timezone", "Time zone", <input list="artist-time-zones" {...bind("timezone", true)} />, "An IANA zone such as Europe/London.")}
        </div>
        <datalist id="artist-time-zones">
          {zones.map((z) => (
            <option key={z} value={z} />
          ))}
        </datalist>
        <label className="check">
          <input type="checkbox" name="active" checked={form.active} onChange={(e) => setForm({ ...form, active: e.target.checked })} />
          Active (can be booked)
        </label>
        {error ? (
          <p className="form-error" role="alert" data-testid="form-error">
            {error}
          </p>
        ) : null}
        <div className="dialog__actions">
          <button type="button" onClick={() => onClose()}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={busy}>
            {artist ? "Save" : "Create artist"}
          </button>
        </div>
      </form>
    </div>
  );
}
