// "Download CSV": the reports answer CSV to `Accept: text/csv` on the same
// URL as their JSON. A plain link cannot carry the bearer token, so the file
// is fetched with it, turned into a Blob and saved by clicking an
// `<a download>` on a temporary object URL (a download, which the page's
// CSP does not restrict).

import { ApiError } from "./api.js";
import { ErrorBody } from "./rest.js";
import { useBoard } from "./store/state.js";

/** Fetches `GET /api/v1{path}` as CSV and saves it as `filename`. */
export async function downloadCsv(path: string, filename: string): Promise<void> {
  const token = useBoard.getState().session?.accessToken ?? "";
  const res = await fetch(`/api/v1${path}`, { headers: { authorization: `Bearer ${token}`, accept: "text/csv" } });
  if (!res.ok) {
    const err = ErrorBody.safeParse(await res.json().catch(() => undefined));
    if (err.success) throw new ApiError(res.status, err.data.error.code, err.data.error.message, err.data.error.details);
    throw new ApiError(res.status, "http", `The server answered ${res.status}.`, undefined);
  }
  const blob = new Blob([await res.text()], { type: "text/csv;charset=utf-8" });
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  // The click starts the download synchronously; the URL can go once it has.
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
