// The sign-in screen: email and password (the demo accounts are listed), an
// optional studio id. Errors from the server are shown as it words them,
// except 401 (one message for a wrong email or password) and 429.

import { useState, type FormEvent } from "react";
import * as auth from "./auth.js";
import * as store from "./store.js";
import { useBoard } from "./store.js";

export function SignIn() {
  const message = useBoard((st) => st.signInMessage);
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [tenantId, setTenantId] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const session = await auth.login(email.trim(), password, tenantId.trim() || undefined);
      await store.start(session);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
      setBusy(false);
    }
  };

  return (
    <main className="signin">
      <form className="signin__card" onSubmit={submit} aria-labelledby="signin-title">
        <h1 id="signin-title">Production Tool</h1>
        <p className="muted">Sign in to your studio's scheduler.</p>
        {message ? <p className="signin__message" role="status">{message}</p> : null}
        <label>
          Email
          <input name="email" type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} />
        </label>
        <label>
          Password
          <input name="password" type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
        </label>
        <details>
          <summary>Studio (if you belong to several)</summary>
          <label>
            Studio id
            <input name="tenantId" value={tenantId} onChange={(e) => setTenantId(e.target.value)} placeholder="optional" />
          </label>
        </details>
        {error ? (
          <p className="signin__error" role="alert">
            {error}
          </p>
        ) : null}
        <button type="submit" className="primary" disabled={busy}>
          {busy ? "Signing in…" : "Sign in"}
        </button>
        <div className="signin__hint">
          <p>
            Demo studio (<code>pt-server --demo</code>): password <code>{auth.DEMO_PASSWORD}</code> for
          </p>
          <ul>
            {auth.DEMO_ACCOUNTS.map((a) => (
              <li key={a}>
                <button
                  type="button"
                  className="link"
                  onClick={() => {
                    setEmail(a);
                    setPassword(auth.DEMO_PASSWORD);
                  }}
                >
                  {a}
                </button>
              </li>
            ))}
          </ul>
        </div>
      </form>
    </main>
  );
}
