// A list the admin tabs read over REST (`GET path` → `{ data: T[] }`), with
// its error and a `reload` after each change.

import { useEffect, useState } from "react";
import { z } from "zod";
import { apiCall, errorMessage } from "../api.js";

export function useList<S extends z.ZodType>(path: string, item: S): { list: z.output<S>[] | undefined; error: string | undefined; reload: () => void } {
  const [list, setList] = useState<z.output<S>[] | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let stale = false;
    apiCall("GET", path, z.array(item)).then(
      (l) => {
        if (stale) return;
        setList(l as z.output<S>[]);
        setError(undefined);
      },
      (e) => !stale && setError(errorMessage(e)),
    );
    return () => {
      stale = true;
    };
  }, [path, item, tick]);
  return { list, error, reload: () => setTick((n) => n + 1) };
}

const F_WHEN = new Intl.DateTimeFormat(undefined, { day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit" });

/** An RFC 3339 instant in the reader's time, or "—". */
export function when(iso: string | null | undefined): string {
  if (!iso) return "—";
  const t = Date.parse(iso);
  return Number.isNaN(t) ? iso : F_WHEN.format(t);
}
