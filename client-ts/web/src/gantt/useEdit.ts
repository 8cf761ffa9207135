// Moving and resizing a phase, by pointer or keys: while the gesture lasts
// the phase is drawn at its new dates, and the server is asked (debounced)
// what `push` would do (`POST /project-phases/{id}/preview`): the phases it
// would move are drawn as ghosts. Committing sends `PATCH
// /project-phases/{id}` with `mode: "push"`; until the project view's events
// catch up, the answer's dates are shown (overrides), so nothing jumps back.

import { useCallback, useEffect, useRef, useState } from "react";
import type { Phase } from "../../../src/index.js";
import { apiCall, errorMessage } from "../api.js";
import { PhaseChange, type PhaseMove } from "../projects/schemas.js";
import { notify } from "../store.js";
import { dragDates, type DragMode } from "./geometry.js";

export interface Edit {
  phaseId: string;
  mode: DragMode;
  /** Days moved (the edge, or the whole phase). */
  delta: number;
}

/**
 * Dates shown for a phase until the view has caught up: while the view's
 * version is at most `base` (what it was when the change was sent). `version`
 * is the server's new version when known (the next change sends it).
 */
interface Override {
  startDate: string;
  endDate: string;
  base: number;
  version?: number;
}

export const PREVIEW_DEBOUNCE_MS = 120;

export interface EditApi {
  edit: Edit | undefined;
  setEdit: (e: Edit | undefined) => void;
  /** The phases `push` would move, per the server's preview of the current edit. */
  preview: PhaseMove[];
  /** A phase's dates as drawn: being edited, just committed, or as the view has it. */
  datesOf: (p: Phase) => { startDate: string; endDate: string };
  commit: () => Promise<void>;
}

export function useEdit(phases: readonly Phase[]): EditApi {
  const [edit, setEdit] = useState<Edit | undefined>();
  const [preview, setPreview] = useState<PhaseMove[]>([]);
  const [overrides, setOverrides] = useState<ReadonlyMap<string, Override>>(new Map());
  const byId = useRef(new Map<string, Phase>());
  // A phase as the next change starts from: with its override (dates and the
  // version the server gave them) while the view has not caught up.
  byId.current = new Map(
    phases.map((p) => {
      const o = overrides.get(p.id);
      return [p.id, o && p.version <= o.base ? { ...p, startDate: o.startDate, endDate: o.endDate, version: o.version ?? p.version } : p];
    }),
  );

  // Overrides go once the view has seen a change after the one they stand for.
  useEffect(() => {
    const version = new Map(phases.map((p) => [p.id, p.version]));
    setOverrides((o) => {
      const kept = [...o].filter(([id, v]) => (version.get(id) ?? Infinity) <= v.base);
      return kept.length === o.size ? o : new Map(kept);
    });
  }, [phases]);

  usePreview(edit, byId, setPreview);

  const datesOf = useCallback(
    (p: Phase) => {
      const base = byId.current.get(p.id) ?? p;
      return edit && edit.phaseId === p.id ? dragDates(base, edit.mode, edit.delta) : base;
    },
    [edit, overrides, phases],
  );

  const commit = useCallback(async () => {
    const e = edit;
    const phase = e && byId.current.get(e.phaseId);
    setEdit(undefined);
    setPreview([]);
    if (!e || !phase || e.delta === 0) return;
    const dates = dragDates(phase, e.mode, e.delta);
    // The view's versions now: an override stands until the view moves past them.
    const base = new Map(phases.map((p) => [p.id, p.version]));
    const baseOf = (id: string) => base.get(id) ?? 0;
    // Shown at once; replaced by the answer, then by the view's events.
    setOverrides((o) => new Map(o).set(phase.id, { ...dates, base: baseOf(phase.id) }));
    try {
      const change = await apiCall("PATCH", `/project-phases/${phase.id}`, PhaseChange, { version: phase.version, ...dates, mode: "push" });
      setOverrides((o) => {
        const next = new Map(o).set(change.phase.id, { startDate: change.phase.startDate, endDate: change.phase.endDate, base: baseOf(phase.id), version: change.phase.version });
        for (const m of change.moved) next.set(m.phaseId, { startDate: m.newStart, endDate: m.newEnd, base: baseOf(m.phaseId) });
        return next;
      });
    } catch (err) {
      setOverrides((o) => {
        const next = new Map(o);
        next.delete(phase.id);
        return next;
      });
      notify({ tone: "error", title: `${phase.name} was not moved`, message: errorMessage(err) });
    }
  }, [edit, phases]);

  return { edit, setEdit, preview, datesOf, commit };
}

/** Asks the server what the current edit would move, debounced; a newer edit makes older answers stale. */
function usePreview(edit: Edit | undefined, byId: { current: Map<string, Phase> }, setPreview: (m: PhaseMove[]) => void): void {
  useEffect(() => {
    const phase = edit && byId.current.get(edit.phaseId);
    if (!edit || !phase || edit.delta === 0) {
      setPreview([]);
      return;
    }
    let stale = false;
    const t = setTimeout(() => {
      const body = { version: phase.version, ...dragDates(phase, edit.mode, edit.delta), mode: "push" };
      apiCall("POST", `/project-phases/${phase.id}/preview`, PhaseChange, body).then(
        (change) => !stale && setPreview(change.moved.filter((m) => m.phaseId !== phase.id)),
        () => !stale && setPreview([]),
      );
    }, PREVIEW_DEBOUNCE_MS);
    return () => {
      stale = true;
      clearTimeout(t);
    };
  }, [edit?.phaseId, edit?.mode, edit?.delta]); // eslint-disable-line react-hooks/exhaustive-deps
}
