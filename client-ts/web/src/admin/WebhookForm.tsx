// A new webhook subscription (Webhooks tab): the receiver's URL and the event
// kinds to send, grouped (`webhookEvents.ts`), each group with a checkbox
// for all of it (mixed when part of it is chosen). `POST /webhooks`; the
// answer's signing secret goes to the tab, to be shown once. The server's
// refusal of the URL (not http/https, credentials in it, a private address)
// shows under it.

import { useEffect, useRef, useState, type FormEvent } from "react";
import { ApiError, apiCall } from "../api.js";
import { readable, sentence } from "./readable.js";
import { CreatedWebhook } from "./studioSchemas.js";
import { EVENT_GROUPS, groupState, orderedKinds, toggleGroup, toggleKind, type EventGroup } from "./webhookEvents.js";

interface Props {
  onCreated: (secret: string) => void;
}

type Problems = { url?: string; events?: string };

export function WebhookForm({ onCreated }: Props) {
  const [url, setUrl] = useState("");
  const [chosen, setChosen] = useState<ReadonlySet<string>>(() => new Set());
  const [problems, setProblems] = useState<Problems>({});
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (chosen.size === 0) {
      setProblems({ events: "Choose at least one event." });
      return;
    }
    setBusy(true);
    try {
      const created = await apiCall("POST", "/webhooks", CreatedWebhook, { url: url.trim(), events: orderedKinds(chosen) });
      setUrl("");
      setChosen(new Set());
      setProblems({});
      setError(undefined);
      onCreated(created.secret);
    } catch (err) {
      const fields = err instanceof ApiError ? err.fields : [];
      const byField: Problems = {};
      for (const f of fields) if (f.field === "url" || f.field === "events") byField[f.field] = sentence(f.reason);
      setProblems(byField);
      setError(Object.keys(byField).length > 0 && Object.keys(byField).length === fields.length ? undefined : readable(err));
    } finally {
      setBusy(false);
    }
  };

  const choose = (next: ReadonlySet<string>) => {
    setChosen(next);
    if (problems.events && next.size > 0) setProblems({ ...problems, events: undefined });
  };
  return (
    <form className="webhook-form" onSubmit={submit} aria-labelledby="webhook-form-title" data-testid="webhook-form">
      <h3 id="webhook-form-title">New subscription</h3>
      <label className={`field webhook-form__url${problems.url ? " field--invalid" : ""}`}>
        <span>Receiver URL</span>
        <input
          type="url"
          required
          maxLength={2000}
          placeholder="https://example.com/hooks/production-tool"
          value={url}
          onChange={(e) => setUrl(e.target.value)}
          aria-invalid={problems.url ? true : undefined}
          aria-describedby={problems.url ? "webhook-url-error" : "webhook-url-hint"}
          data-testid="webhook-url"
        />
        {problems.url ? (
          <span className="field__error" id="webhook-url-error">
            {problems.url}
          </span>
        ) : (
          <span className="field__hint" id="webhook-url-hint">
            http or https, no user name or password in it: the signature proves the call is ours.
          </span>
        )}
      </label>
      <fieldset className={`webhook-form__events${problems.events ? " field--invalid" : ""}`} aria-describedby={problems.events ? "webhook-events-error" : undefined}>
        <legend>Events to send</legend>
        <div className="webhook-groups">
          {EVENT_GROUPS.map((g) => (
            <Group key={g.name} group={g} chosen={chosen} onChange={choose} />
          ))}
        </div>
        {problems.events ? (
          <span className="field__error" id="webhook-events-error" role="alert">
            {problems.events}
          </span>
        ) : null}
      </fieldset>
      {error ? (
        <p className="form-error" role="alert" data-testid="webhook-error">
          {error}
        </p>
      ) : null}
      <div className="admin-form__actions">
        <button type="submit" className="primary" disabled={busy} data-testid="webhook-create">
          Add subscription
        </button>
      </div>
    </form>
  );
}

function Group({ group, chosen, onChange }: { group: EventGroup; chosen: ReadonlySet<string>; onChange: (s: ReadonlySet<string>) => void }) {
  const all = useRef<HTMLInputElement>(null);
  const state = groupState(chosen, group);
  // "Mixed" is a DOM property only.
  useEffect(() => {
    if (all.current) all.current.indeterminate = state === "some";
  }, [state]);
  return (
    <fieldset className="webhook-group" data-group={group.name}>
      <legend>
        <label className="check">
          <input ref={all} type="checkbox" checked={state === "all"} onChange={() => onChange(toggleGroup(chosen, group))} aria-label={`All ${group.name.toLowerCase()} events`} />
          {group.name}
        </label>
      </legend>
      <ul className="webhook-group__list">
        {group.events.map((e) => (
          <li key={e.kind}>
            <label className="webhook-event">
              <input type="checkbox" checked={chosen.has(e.kind)} onChange={() => onChange(toggleKind(chosen, e.kind))} data-testid={`event-${e.kind}`} />
              <span>
                {e.label} <code className="webhook-kind">{e.kind}</code>
              </span>
            </label>
          </li>
        ))}
      </ul>
    </fieldset>
  );
}
