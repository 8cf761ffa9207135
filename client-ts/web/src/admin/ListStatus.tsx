// A list's state line, as the admin tabs show it: the error (if loading or
// an action failed), "Loading…" until the list arrives, or the line for an
// empty list. Nothing once there are items: the caller draws them.

export function ListStatus({ error, list, empty }: { error?: string; list: readonly unknown[] | undefined; empty: string }) {
  return (
    <>
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
      {list === undefined ? error ? null : <p className="muted">Loading…</p> : list.length === 0 ? <p className="muted">{empty}</p> : null}
    </>
  );
}
