// The utilization heat map (`#/utilization`): artists down, weeks across,
// each cell coloured by how booked the artist is that week (pencil +
// confirmed over available hours, `GET /api/v1/reports/utilization`). Holds
// are shown apart: a hatched stripe as tall as their share, and their hours in
// the cell. A cell opens the board at that artist and week. "Download CSV"
// saves the report of the range shown (`Accept: text/csv`).

import { useEffect, useState } from "react";
import { apiCall, errorMessage, query } from "../api.js";
import { addDays, formatDay, mondayOf, today } from "../days.js";
import { downloadCsv } from "../download.js";
import { Utilization, type UtilizationCell } from "../projects/schemas.js";
import { navigate } from "../router.js";
import { BANDS, WEEK_CHOICES, band, cellLabel, cellText, defaultRange, holdShare } from "./heat.js";
import "./utilization.css";

function useUtilization(from: string, weeks: number) {
  const [data, setData] = useState<Utilization | undefined>();
  const [error, setError] = useState<string | undefined>();
  useEffect(() => {
    let stale = false;
    apiCall("GET", `/reports/utilization${query({ from, to: addDays(from, weeks * 7), granularity: "week" })}`, Utilization).then(
      (u) => {
        if (stale) return;
        setData(u);
        setError(undefined);
      },
      (e) => !stale && setError(errorMessage(e)),
    );
    return () => {
      stale = true;
    };
  }, [from, weeks]);
  return { data, error };
}

export function HeatmapPage() {
  const [from, setFrom] = useState(() => defaultRange(today()).from);
  const [weeks, setWeeks] = useState(12);
  const { data, error } = useUtilization(from, weeks);
  const [csvError, setCsvError] = useState<string | undefined>();
  const to = addDays(from, weeks * 7);
  const download = () => {
    downloadCsv(`/reports/utilization${query({ from, to, granularity: "week" })}`, `utilization-${from}-to-${to}.csv`).then(
      () => setCsvError(undefined),
      (e: unknown) => setCsvError(errorMessage(e)),
    );
  };
  return (
    <section className="heatmap" aria-labelledby="heatmap-title">
      <div className="page__head">
        <h1 id="heatmap-title">Utilization</h1>
        <label>
          <span>From the week of</span>{" "}
          <input type="date" value={from} onChange={(e) => e.target.value && setFrom(mondayOf(e.target.value))} />
        </label>
        <label>
          <span>Weeks</span>{" "}
          <select value={weeks} onChange={(e) => setWeeks(Number(e.target.value))}>
            {WEEK_CHOICES.map((w) => (
              <option key={w} value={w}>
                {w}
              </option>
            ))}
          </select>
        </label>
        <div className="toolbar__spacer" />
        <button type="button" onClick={download}>
          Download CSV
        </button>
      </div>
      <Legend />
      {error || csvError ? (
        <p className="form-error" role="alert">
          {error ?? csvError}
        </p>
      ) : null}
      {data ? <Grid data={data} /> : error ? null : <p className="muted">Loading…</p>}
    </section>
  );
}

function Legend() {
  return (
    <ul className="heat-legend" aria-label="Legend">
      {BANDS.map((b) => (
        <li key={b.key}>
          <span className={`heat-swatch heat--${b.key}`} aria-hidden="true" /> {b.label}
        </li>
      ))}
      <li>
        <span className="heat-swatch heat-swatch--hold" aria-hidden="true" /> Holds (not counted; stripe height = their share)
      </li>
    </ul>
  );
}

function Grid({ data }: { data: Utilization }) {
  if (data.rows.length === 0) return <p className="muted">No artists.</p>;
  return (
    <div className="heat-scroll">
      <table className="heat-grid" data-testid="heatmap">
        <thead>
          <tr>
            <th scope="col">Artist</th>
            {data.periods.map((p) => (
              <th key={p} scope="col" data-week={p}>
                {formatDay(p, false)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {data.rows.map((r) => (
            <tr key={r.artistId} data-artist={r.artistId}>
              <th scope="row">
                {r.artistName} <span className="muted">{r.skills[0] ?? ""}</span>
              </th>
              {r.cells.map((c) => (
                <td key={c.periodStart}>
                  <Cell artistId={r.artistId} artist={r.artistName} cell={c} />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Cell({ artistId, artist, cell }: { artistId: string; artist: string; cell: UtilizationCell }) {
  const b = band(cell.utilization);
  const hold = holdShare(cell);
  const text = cellText(cell);
  return (
    <button
      type="button"
      className={`heat-cell heat--${b.key}`}
      aria-label={`${cellLabel(artist, cell)}. Open on the board`}
      title={cellLabel(artist, cell)}
      data-testid="heat-cell"
      data-artist={artistId}
      data-week={cell.periodStart}
      data-band={b.key}
      onClick={() => navigate({ page: "board", artist: artistId, week: mondayOf(cell.periodStart) })}
    >
      <span className="heat-cell__pct">{text.pct}</span>
      {text.hold ? (
        <>
          {" "}
          <span className="heat-cell__hold">{text.hold}</span>
        </>
      ) : null}
      {hold > 0 ? <span className="heat-cell__stripe" style={{ height: `${Math.max(8, hold * 100)}%` }} aria-hidden="true" /> : null}
    </button>
  );
}
