// REST calls of the pages beyond the board (projects, Gantt, utilization):
// the signed-in user's bearer token, the `{ data }` envelope parsed with a zod
// schema, and the error envelope turned into an `ApiError` whose message a
// person can read (field errors included).

import { z } from "zod";
import { ErrorBody } from "./rest.js";
import { useBoard } from "./store/state.js";

/** A field the server refused, and why (`details.fields` of an `invalid` answer). */
export interface FieldProblem {
  field: string;
  reason: string;
}

const Fields = z.object({ fields: z.array(z.object({ field: z.string(), reason: z.string() })) });

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: unknown,
  ) {
    super(message);
  }

  /** The refused fields, if the server named any. */
  get fields(): FieldProblem[] {
    const f = Fields.safeParse(this.details);
    return f.success ? f.data.fields : [];
  }
}

/** `{ data: S }` answered by `method path`, or an `ApiError`. */
export async function apiCall<S extends z.ZodType>(method: string, path: string, schema: S, body?: unknown): Promise<z.output<S>> {
  const token = useBoard.getState().session?.accessToken ?? "";
  const headers: Record<string, string> = { authorization: `Bearer ${token}` };
  if (body !== undefined) headers["content-type"] = "application/json";
  const res = await fetch(`/api/v1${path}`, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  const json: unknown = await res.json().catch(() => undefined);
  if (!res.ok) {
    const err = ErrorBody.safeParse(json);
    if (err.success) throw new ApiError(res.status, err.data.error.code, err.data.error.message, err.data.error.details);
    throw new ApiError(res.status, "http", `The server answered ${res.status}.`, undefined);
  }
  const inner = json !== null && typeof json === "object" && "data" in json ? (json as { data: unknown }).data : undefined;
  const parsed = schema.safeParse(inner);
  if (!parsed.success) throw new ApiError(res.status, "malformed", `Unexpected answer from ${path}.`, parsed.error.issues);
  return parsed.data as z.output<S>;
}

/** A query string of the non-empty values. */
export function query(params: Record<string, string | number | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== "") q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : "";
}

/** A message for a failed call: the server's own, with its field errors. */
export function errorMessage(e: unknown): string {
  if (e instanceof ApiError) {
    const fields = e.fields.map((f) => `${f.field}: ${f.reason}`);
    return fields.length > 0 ? `${e.message} (${fields.join("; ")})` : e.message;
  }
  return e instanceof Error ? e.message : String(e);
}
