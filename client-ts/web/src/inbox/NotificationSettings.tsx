// "Notification settings", opened from the inbox's Settings button, for every
// role: one's own preferences (`GET /me/notification-preferences`), edited in
// `PreferencesForm.tsx`. A modal dialog on top of the page (in `document.body`,
// above the board's toolbar and panels); Escape or Close closes it and the
// bell gets the focus back (`Bell.tsx`). Loaded when first opened: its code
// stays out of the board's bundle.

import { useCallback, useEffect, useRef, useState } from "react";
import { createPortal } from "react-dom";
import { readable } from "../admin/readable.js";
import { apiCall } from "../api.js";
import { NotificationPreferences } from "./preferences.js";
import { PreferencesForm } from "./PreferencesForm.js";
import "./notification-settings.css";

interface Props {
  onClose: () => void;
}

/** One's preferences, read when the dialog opens; `retry` reads them again. */
function usePreferences() {
  const [prefs, setPrefs] = useState<NotificationPreferences | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let stale = false;
    setError(undefined);
    apiCall("GET", "/me/notification-preferences", NotificationPreferences).then(
      (p) => !stale && setPrefs(p),
      (e: unknown) => !stale && setError(readable(e)),
    );
    return () => {
      stale = true;
    };
  }, [tick]);
  const retry = useCallback(() => setTick((n) => n + 1), []);
  return { prefs, setPrefs, error, retry };
}

export function NotificationSettings({ onClose }: Props) {
  const { prefs, setPrefs, error, retry } = usePreferences();
  const dialog = useRef<HTMLDivElement>(null);
  useEffect(() => dialog.current?.focus(), []);
  // Escape closes it wherever the focus is (after a click on the backdrop, it is on the page).
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== "Escape" || e.defaultPrevented) return;
      e.preventDefault();
      onClose();
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, [onClose]);
  return createPortal(
    <div className="dialog-backdrop">
      <div ref={dialog} className="dialog prefs" role="dialog" aria-modal="true" aria-labelledby="prefs-title" tabIndex={-1} data-testid="notification-settings">
        <h2 id="prefs-title">Notification settings</h2>
        {error ? (
          <>
            <p className="form-error" role="alert">
              {error}
            </p>
            <div className="dialog__actions">
              <button type="button" onClick={onClose}>
                Close
              </button>
              <button type="button" className="primary" onClick={retry}>
                Try again
              </button>
            </div>
          </>
        ) : prefs ? (
          <PreferencesForm prefs={prefs} onSaved={setPrefs} onClose={onClose} />
        ) : (
          <p className="muted" role="status">
            Loading…
          </p>
        )}
      </div>
    </div>,
    document.body,
  );
}
