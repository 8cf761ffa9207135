// The public page an invitation link opens (`#/invitation?token=inv_…`),
// signed in or not: your name and a password make the new account
// (`POST /auth/accept-invitation`), or an existing account's password adds
// the studio to it. Accepted, it signs in as that account (replacing any
// session of this tab) and opens the board. The server's refusals are shown
// as it words them; a field's under its field.

import { useEffect, useRef, useState, type FormEvent } from "react";
import { sentence } from "./admin/readable.js";
import * as auth from "./auth.js";
import { navigate } from "./router.js";
import * as store from "./store.js";
import { useBoard } from "./store.js";

type Field = "displayName" | "password";

/** "password: too short" → the field and a sentence; anything else → the whole sentence. */
function splitProblem(message: string): { field?: Field; text: string } {
  const m = /^(displayName|password): (.*)$/s.exec(message);
  return m ? { field: m[1] as Field, text: sentence(m[2]!) } : { text: sentence(message) };
}

function refusal(e: unknown): { field?: Field; text: string } {
  if (e instanceof auth.AuthError && (e.status === 404 || e.status === 410)) {
    return { text: "This invitation link does not work any more: it was used, revoked or has expired. Ask the studio for a new one." };
  }
  return splitProblem(e instanceof Error ? e.message : String(e));
}

export function AcceptInvitation({ token }: { token: string }) {
  const signedInAs = useBoard((st) => st.session?.user.email);
  const [displayName, setDisplayName] = useState("");
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<{ field?: Field; text: string } | undefined>();
  const first = useRef<HTMLInputElement>(null);
  useEffect(() => first.current?.focus(), []);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setProblem(undefined);
    let session: auth.Session;
    try {
      session = await auth.acceptInvitation(token, password, displayName.trim() || undefined);
    } catch (err) {
      setProblem(refusal(err));
      setBusy(false);
      return;
    }
    if (store.useBoard.getState().session) await store.signOut();
    navigate({ page: "board" });
    await store.start(session).catch(() => undefined); // a refusal returns to the sign-in screen, saying why
  };
  const fieldError = (f: Field) =>
    problem?.field === f ? (
      <span className="field__error" id={`accept-${f}-error`} role="alert">
        {problem.text}
      </span>
    ) : null;

  return (
    <main className="signin">
      <form className="signin__card" onSubmit={submit} aria-labelledby="accept-title" data-testid="accept-invitation">
        <h1 id="accept-title">Join the studio</h1>
        <p className="muted">You were invited to a studio on Production Tool. Choose your name and a password to create your account.</p>
        {signedInAs ? (
          <p className="signin__message" role="status">
            You are signed in as {signedInAs}. Accepting signs you in as the invited account instead.
          </p>
        ) : null}
        {token ? null : (
          <p className="signin__error" role="alert">
            This link has no invitation token. Open the whole link you were sent.
          </p>
        )}
        <label>
          Your name
          <input
            ref={first}
            name="displayName"
            autoComplete="name"
            value={displayName}
            onChange={(e) => setDisplayName(e.target.value)}
            aria-invalid={problem?.field === "displayName" ? true : undefined}
            aria-describedby={problem?.field === "displayName" ? "accept-displayName-error" : undefined}
          />
          {fieldError("displayName")}
        </label>
        <label>
          Password
          <input
            name="password"
            type="password"
            autoComplete="new-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            aria-invalid={problem?.field === "password" ? true : undefined}
            aria-describedby={["accept-password-hint", problem?.field === "password" ? "accept-password-error" : ""].filter(Boolean).join(" ")}
          />
          <span className="muted signin__hint-line" id="accept-password-hint">
            At least 12 characters. Already have an account with this email? Give its password (the name can stay empty).
          </span>
          {fieldError("password")}
        </label>
        {problem && !problem.field ? (
          <p className="signin__error" role="alert">
            {problem.text}
          </p>
        ) : null}
        <button type="submit" className="primary" disabled={busy || !token}>
          {busy ? "Joining…" : "Accept and sign in"}
        </button>
        <p className="muted">
          <a href="#/">Back to sign in</a>
        </p>
      </form>
    </main>
  );
}
