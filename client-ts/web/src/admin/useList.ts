// A list the Studio tabs read over REST (`GET path` → `{ data: T[] }`):
// loaded on mount and on `reload()`, with the server's refusal as a readable
// message (a 403 says the role may not see it).

import { useCallback, useEffect, useState } from "react";
import { z } from "zod";
import { apiCall } from "../api.js";
import { readable } from "./readable.js";

export interface RestList<T> {
  list: T[] | undefined;
  error: string | undefined;
  reload: () => void;
}

export function useList<S extends z.ZodType>(path: string, item: S): RestList<z.output<S>> {
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
      (e: unknown) => !stale && setError(readable(e)),
    );
    return () => {
      stale = true;
    };
  }, [path, item, tick]);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { list, error, reload };
}
