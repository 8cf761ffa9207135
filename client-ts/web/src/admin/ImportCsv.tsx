// Import / export tab, import half: choose what to import (owners: artists
// or bookings; managers: bookings) and a CSV file; "Check" sends it as a dry
// run and shows the report — each bad row's line, column and reason, or how
// many rows are ready. "Import" is enabled only after a clean check of this
// very file; nothing is written while any row is bad (the server's rule).

import { useState } from "react";
import { importCsv, type ImportKind } from "./importCsv.js";
import { readable } from "./readable.js";
import type { ImportReport } from "./studioSchemas.js";

type Step = { kind: "idle" } | { kind: "checked"; report: ImportReport } | { kind: "imported"; report: ImportReport };

export function ImportCsv({ kinds }: { kinds: ImportKind[] }) {
  const [kind, setKind] = useState<ImportKind>(kinds[0] ?? "bookings");
  const [file, setFile] = useState<File | undefined>();
  const [step, setStep] = useState<Step>({ kind: "idle" });
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const clean = step.kind === "checked" && step.report.errors.length === 0;

  const send = async (dryRun: boolean) => {
    if (!file) return;
    setBusy(true);
    setError(undefined);
    try {
      const report = await importCsv(kind, await file.text(), dryRun);
      setStep({ kind: dryRun || report.errors.length > 0 ? "checked" : "imported", report });
    } catch (e) {
      setStep({ kind: "idle" });
      setError(readable(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="admin-import" aria-labelledby="import-title">
      <h3 id="import-title">Import</h3>
      <form className="admin-inline-form" onSubmit={(e) => e.preventDefault()} aria-label="Import a CSV file" data-testid="import-form">
        {kinds.length > 1 ? (
          <label className="field">
            <span>What to import</span>
            <select
              value={kind}
              onChange={(e) => {
                setKind(e.target.value as ImportKind);
                setStep({ kind: "idle" });
              }}
            >
              {kinds.map((k) => (
                <option key={k} value={k}>
                  {k === "artists" ? "Artists" : "Bookings"}
                </option>
              ))}
            </select>
          </label>
        ) : null}
        <label className="field">
          <span>CSV file{kinds.length === 1 ? ` (${kinds[0]})` : ""}</span>
          <input
            type="file"
            accept=".csv,text/csv"
            onChange={(e) => {
              setFile(e.target.files?.[0]);
              setStep({ kind: "idle" });
              setError(undefined);
            }}
          />
        </label>
        <button type="button" disabled={!file || busy} onClick={() => void send(true)}>
          Check
        </button>
        <button type="button" className="primary" disabled={!clean || busy} onClick={() => void send(false)}>
          Import
        </button>
      </form>
      {error ? (
        <p className="form-error" role="alert" data-testid="import-error">
          {error}
        </p>
      ) : null}
      <Report step={step} />
    </section>
  );
}

function Report({ step }: { step: Step }) {
  if (step.kind === "idle") return <p className="muted">Choose a file and check it first: nothing is written until it has no bad rows.</p>;
  const { rows, errors, created } = step.report;
  const n = (k: number) => `${k} ${k === 1 ? "row" : "rows"}`;
  if (step.kind === "imported")
    return (
      <p role="status" data-testid="import-result">
        Imported {n(created.length)}.
      </p>
    );
  if (errors.length === 0)
    return (
      <p role="status" data-testid="import-result">
        {n(rows)} ready to import.
      </p>
    );
  return (
    <div data-testid="import-report">
      <p role="alert">
        {errors.length} {errors.length === 1 ? "problem" : "problems"} in {n(rows)}: nothing was imported. Fix the file and check it again.
      </p>
      <table className="admin-table" aria-label="Problems in the file">
        <thead>
          <tr>
            <th scope="col">Line</th>
            <th scope="col">Column</th>
            <th scope="col">Reason</th>
          </tr>
        </thead>
        <tbody>
          {errors.map((p, i) => (
            <tr key={i} data-testid="import-problem">
              <td>{p.line}</td>
              <td>{p.column ?? "(whole row)"}</td>
              <td>{p.reason}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
