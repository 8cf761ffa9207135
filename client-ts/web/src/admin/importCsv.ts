// `POST /import/{artists|bookings}?dryRun=…` with the file as `text/csv`: the
// server's report (`ImportReport`), or an `ApiError`. A refused file is a
// report too — its `errors` name line, column and reason — so the page shows
// it the same way whether the server answered 200 or an error with them.

import { ApiError } from "../api.js";
import { ErrorBody } from "../rest.js";
import { useBoard } from "../store/state.js";
import { ImportReport } from "./studioSchemas.js";

export type ImportKind = "artists" | "bookings";

export async function importCsv(kind: ImportKind, csv: string, dryRun: boolean): Promise<ImportReport> {
  const token = useBoard.getState().session?.accessToken ?? "";
  const res = await fetch(`/api/v1/import/${kind}?dryRun=${dryRun}`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "text/csv" },
    body: csv,
  });
  const json: unknown = await res.json().catch(() => undefined);
  const inner = json !== null && typeof json === "object" && "data" in json ? (json as { data: unknown }).data : undefined;
  const report = ImportReport.safeParse(inner);
  if (res.ok && report.success) return report.data;
  const err = ErrorBody.safeParse(json);
  if (!err.success) throw new ApiError(res.status, res.ok ? "malformed" : "http", res.ok ? "Unexpected answer to the import." : `The server answered ${res.status}.`, undefined);
  // Bad rows come back as an error whose details are the report.
  const rows = ImportReport.safeParse(err.data.error.details);
  if (rows.success && rows.data.errors.length > 0) return rows.data;
  throw new ApiError(res.status, err.data.error.code, err.data.error.message, err.data.error.details);
}
