// The API tokens tab (owners): create a `pt_…` token for an integration
// (name, role, optional expiry) — its secret is shown once, with Copy — and
// the studio's tokens (never their secrets: the hint, role, created, expires,
// revoked), each active one with Revoke behind a confirmation. A revoked
// token is refused at once (401) and its WebSockets close.

import { useState, type FormEvent } from "react";
import { apiCall } from "../api.js";
import { Confirm } from "../Confirm.js";
import { SecretOnce } from "./SecretOnce.js";
import { readable } from "./readable.js";
import { ROLES, roleText } from "./roles.js";
import { ApiToken, CreatedApiToken } from "./studioSchemas.js";
import "./settings.css";
import { useList } from "./useList.js";
import { formatWhen } from "./when.js";

export function TokensTab() {
  const { list, error, reload } = useList("/studio/api-tokens", ApiToken);
  const [secret, setSecret] = useState<string | undefined>();
  const [revoking, setRevoking] = useState<ApiToken | undefined>();
  return (
    <section className="admin-tokens" aria-labelledby="tokens-title">
      <h2 id="tokens-title">API tokens</h2>
      <p className="muted">
        A token lets an integration call the API as a role of this studio: send it as <code>Authorization: Bearer pt_…</code>.
      </p>
      <NewToken
        onCreated={(token) => {
          setSecret(token);
          reload();
        }}
      />
      {secret ? <SecretOnce label="The new token" value={secret} onDone={() => setSecret(undefined)} /> : null}
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
      {list === undefined ? error ? null : <p className="muted">Loading…</p> : <TokenTable list={list} onRevoke={setRevoking} />}
      {revoking ? (
        <Confirm
          title={`Revoke ${revoking.name}?`}
          text="Anything using this token is refused from now on, and its connections close. This cannot be undone."
          action="Revoke"
          run={() => apiCall("DELETE", `/studio/api-tokens/${revoking.id}`, ApiToken)}
          onDone={() => {
            setRevoking(undefined);
            reload();
          }}
        />
      ) : null}
    </section>
  );
}

function NewToken({ onCreated }: { onCreated: (token: string) => void }) {
  const [name, setName] = useState("");
  const [role, setRole] = useState<string>("studio_manager");
  const [expires, setExpires] = useState("");
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    try {
      // `datetime-local` is the reader's local time; the API takes an instant.
      const body = { name: name.trim(), role, ...(expires ? { expiresAt: new Date(expires).toISOString() } : {}) };
      const created = await apiCall("POST", "/studio/api-tokens", CreatedApiToken, body);
      setName("");
      setExpires("");
      setError(undefined);
      onCreated(created.token);
    } catch (err) {
      setError(readable(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="admin-inline-form" onSubmit={submit} aria-label="New API token" data-testid="token-form">
      <label className="field">
        <span>Token name</span>
        <input required maxLength={200} placeholder="Calendar sync" value={name} onChange={(e) => setName(e.target.value)} />
      </label>
      <label className="field">
        <span>Role</span>
        <select value={role} onChange={(e) => setRole(e.target.value)}>
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {roleText(r)}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>Expires (optional)</span>
        <input type="datetime-local" value={expires} onChange={(e) => setExpires(e.target.value)} />
      </label>
      <button type="submit" className="primary" disabled={busy}>
        Create token
      </button>
      {error ? (
        <p className="form-error" role="alert" data-testid="token-error">
          {error}
        </p>
      ) : null}
    </form>
  );
}

function TokenTable({ list, onRevoke }: { list: ApiToken[]; onRevoke: (t: ApiToken) => void }) {
  if (list.length === 0) return <p className="muted">No API tokens yet.</p>;
  const now = Date.now();
  return (
    <table className="admin-table" data-testid="tokens">
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">Token</th>
          <th scope="col">Role</th>
          <th scope="col">Created</th>
          <th scope="col">Expires</th>
          <th scope="col">State</th>
          <th scope="col">
            <span className="visually-hidden">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {list.map((t) => {
          const expired = t.expiresAt !== null && Date.parse(t.expiresAt) <= now;
          const state = t.revokedAt ? `Revoked ${formatWhen(t.revokedAt)}` : expired ? "Expired" : "Active";
          return (
            <tr key={t.id} data-testid="token" data-id={t.id} data-state={t.revokedAt ? "revoked" : expired ? "expired" : "active"}>
              <th scope="row">{t.name}</th>
              <td>
                <code>{t.hint}</code>
              </td>
              <td>{roleText(t.role)}</td>
              <td>{formatWhen(t.createdAt)}</td>
              <td>{t.expiresAt ? formatWhen(t.expiresAt) : "Never"}</td>
              <td>{state}</td>
              <td className="actions">
                {t.revokedAt ? null : (
                  <button type="button" className="danger" aria-label={`Revoke ${t.name}`} onClick={() => onRevoke(t)}>
                    Revoke
                  </button>
                )}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
