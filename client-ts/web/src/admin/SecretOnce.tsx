// A secret the server shows once (an API token, a calendar feed's URL): in a
// read-only field, selected for the keyboard, with a Copy button and a
// warning that it will not be shown again. "Done" forgets it.

import { useEffect, useRef, useState } from "react";

interface Props {
  label: string;
  value: string;
  onDone: () => void;
}

export function SecretOnce({ label, value, onDone }: Props) {
  const input = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState<string | undefined>();
  useEffect(() => {
    input.current?.focus();
    input.current?.select();
  }, [value]);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setCopied("Copied.");
    } catch {
      // No clipboard (an insecure origin, or refused): leave it selected for Ctrl+C.
      input.current?.select();
      setCopied("Could not copy: press Ctrl+C (⌘C) to copy the selected text.");
    }
  };
  return (
    <div className="secret-once" role="region" aria-label={label} data-testid="secret-once">
      <label className="field">
        <span>{label}</span>
        <input ref={input} readOnly value={value} data-testid="secret-value" onFocus={(e) => e.target.select()} />
      </label>
      <p className="secret-once__warning" id="secret-warning">
        Copy it now: it will not be shown again.
      </p>
      <div className="secret-once__actions">
        <button type="button" className="primary" onClick={() => void copy()} aria-describedby="secret-warning">
          Copy
        </button>
        <button type="button" onClick={onDone}>
          Done
        </button>
        <span className="muted" role="status">
          {copied ?? ""}
        </span>
      </div>
    </div>
  );
}
