// A confirmation before something that cannot be undone (deleting a phase
// or a milestone): an alert dialog whose safe button has the focus, and the
// server's refusal shown inside it, so the person sees why it did not happen.

import { useState } from "react";
import { errorMessage } from "./api.js";

interface Props {
  title: string;
  text: string;
  action: string;
  /** The change; a refusal keeps the dialog open with its message. */
  run: () => Promise<unknown>;
  onDone: () => void;
}

export function Confirm({ title, text, action, run, onDone }: Props) {
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const go = async () => {
    setBusy(true);
    try {
      await run();
      onDone();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="dialog-backdrop" onKeyDown={(e) => e.key === "Escape" && onDone()}>
      <div className="dialog" role="alertdialog" aria-modal="true" aria-labelledby="confirm-title" aria-describedby="confirm-text" data-testid="confirm">
        <h2 id="confirm-title">{title}</h2>
        <p id="confirm-text">{text}</p>
        {error ? (
          <p className="form-error" role="alert">
            {error}
          </p>
        ) : null}
        <div className="dialog__actions">
          <button type="button" onClick={onDone} autoFocus>
            {error ? "Close" : "Keep it"}
          </button>
          {error ? null : (
            <button type="button" className="danger" disabled={busy} onClick={() => void go()}>
              {action}
            </button>
          )}
        </div>
      </div>
    </div>
  );
}
