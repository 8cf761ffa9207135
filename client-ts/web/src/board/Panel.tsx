// The side panel: edit the selected booking's title, notes, project, phase
// (of that project; another project clears it), artist, times, status and a
// hold's lapse time. Saving sends one update (the changed fields) and, if the
// status changed, one transition after it. Others editing the same booking
// are shown at the top (presence). Durations are working time (`workingTime.ts`).
// Those who may not change bookings (freelancers) see it read-only, with
// Accept / Decline on a hold or pencil offered to them (`PanelView.tsx`).

import { useEffect, useMemo, useRef, useState, type FormEvent, type RefObject } from "react";
import { useShallow } from "zustand/react/shallow";
import type { Artist, Booking, BookingPatch, BookingStatus } from "../../../src/index.js";
import { STATUS_LABEL, bookableProjects, initials, mayEditBookings, nextStatuses, ordinal, projectName, type Placed, type ProjectNames } from "../model.js";
import * as store from "../store.js";
import { useBoard } from "../store.js";
import { expiryText, fromLocalInput, toLocalInput } from "../time.js";
import { HoldQueue } from "./HoldQueue.js";
import { PanelView, workingFor } from "./PanelView.js";
import { usePhases } from "./usePhases.js";

interface Form {
  title: string;
  notes: string;
  projectId: string;
  phaseId: string;
  artistId: string;
  start: string;
  end: string;
  status: BookingStatus;
  /** A hold's lapse time (datetime-local); "" for other statuses. */
  expires: string;
}

export function Panel() {
  const { selected, rev, artists, others, index, pending, unsaved, justSaved, known, session, panelFocus } = useBoard(
    useShallow((st) => ({
      selected: st.selected,
      rev: st.rev,
      artists: st.artists,
      others: st.others,
      index: st.index,
      pending: st.pending,
      unsaved: st.unsaved,
      justSaved: st.justSaved,
      known: st.projects,
      session: st.session,
      panelFocus: st.panelFocus,
    })),
  );
  const b = store.booking(selected);
  const titleRef = useRef<HTMLInputElement>(null);
  const { form, setForm, loaded } = useBookingForm(b, rev, panelFocus ? titleRef : undefined);

  // The server's projects (not archived), and the booking's own even if it is.
  const projects = useMemo(() => bookableProjects(known, b?.projectId), [known, b?.projectId]);

  if (!b || !selected) return null;
  const editors = [...others.values()].filter((o) => o.editingBooking === b.id).map((o) => o.name ?? "Someone");
  const placed = index.get(b.artistId)?.placed.find((p) => p.key === selected);
  const saveState = pending.has(selected) ? "Sending…" : unsaved.has(b.id) ? "Saving…" : justSaved.has(b.id) ? "Saved" : "Saved";
  const dirty = JSON.stringify(form) !== loaded.current;
  const start = fromLocalInput(form.start);
  const end = fromLocalInput(form.end);
  const timesValid = start !== undefined && end !== undefined && end > start;
  const working = workingFor(form.artistId, start, end);
  const expiresAt = fromLocalInput(form.expires);
  if (!mayEditBookings(session)) return <PanelView booking={b} bookingKey={selected} placed={placed} saveState={saveState} editors={editors} />;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!timesValid) return;
    const patch: Omit<BookingPatch, "version"> = {};
    if (form.title.trim() !== b.title) patch.title = form.title.trim();
    if ((form.notes || null) !== b.notes) patch.notes = form.notes || null;
    if ((form.projectId || null) !== b.projectId) patch.projectId = form.projectId || null;
    // A new project clears the phase on the server unless the patch names one.
    if ((form.phaseId || null) !== (b.phaseId ?? null) && (form.phaseId || patch.projectId === undefined)) patch.phaseId = form.phaseId || null;
    if (form.artistId !== b.artistId) patch.artistId = form.artistId;
    if (start !== toMinute(b.startTime)) patch.startTime = start;
    if (end !== toMinute(b.endTime)) patch.endTime = end;
    // A hold's lapse time, while it stays a hold.
    if (b.status === "hold" && form.status === "hold" && expiresAt !== undefined && b.expiresAt !== null && expiresAt !== toMinute(b.expiresAt)) patch.expiresAt = expiresAt;
    if (Object.keys(patch).length > 0) store.updateBooking(selected, patch, "save the booking");
    if (form.status !== b.status) store.transitionBooking(selected, form.status);
    loaded.current = JSON.stringify(form);
  };

  return (
    <aside className="panel" aria-label="Booking details" data-testid="panel" onKeyDown={(e) => e.key === "Escape" && (store.select(selected, false), e.stopPropagation())}>
      <header className="panel__head">
        <h2>Booking</h2>
        <span className={`panel__save${saveState === "Saved" ? " panel__save--ok" : ""}`} role="status" data-testid="panel-save">
          {saveState}
        </span>
        <button type="button" className="icon-button" aria-label="Close panel" onClick={() => store.select(selected, false)}>
          ✕
        </button>
      </header>
      {editors.length > 0 ? (
        <p className="panel__editors" role="note">
          {editors.map((n) => (
            <span key={n} className="avatar avatar--xs avatar--editing" aria-hidden="true">
              {initials(n)}
            </span>
          ))}{" "}
          {editors.join(", ")} {editors.length === 1 ? "is" : "are"} editing this booking too.
        </p>
      ) : null}
      <form onSubmit={submit} className="panel__form">
        <BookingFields form={form} setForm={setForm} booking={b} placed={placed} projects={projects} known={known} artists={artists} titleRef={titleRef} />
        <p className="muted" data-testid="panel-duration">
          {timesValid ? working || "—" : "The end must be after the start."}
        </p>
        {b.status === "hold" && form.status === "hold" ? (
          <label>
            Hold lapses
            <input type="datetime-local" name="expiresAt" value={form.expires} onChange={(e) => setForm({ ...form, expires: e.target.value })} />
          </label>
        ) : null}
        <HoldQueue booking={b} placed={placed} row={index.get(b.artistId)?.placed ?? []} />
        <label>
          Notes
          <textarea name="notes" rows={4} value={form.notes} maxLength={4000} onChange={(e) => setForm({ ...form, notes: e.target.value })} />
        </label>
        <div className="panel__actions">
          <button type="submit" className="primary" disabled={!dirty || !timesValid || form.title.trim() === ""}>
            Save
          </button>
          <button type="button" className="danger" onClick={() => store.transitionBooking(selected, "cancelled")}>
            Cancel booking
          </button>
        </div>
        <p className="muted small">
          Version {b.version}
          {b.status === "hold" && b.expiresAt ? ` · hold lapses ${expiryText(b.expiresAt)}` : ""}
        </p>
      </form>
    </aside>
  );
}

/**
 * The form's state. It loads the booking when another booking is opened, or
 * when it changed underneath (someone else saved) and the form has no local
 * edits; `loaded` is the form as last loaded or saved (to tell local edits).
 */
function useBookingForm(b: Booking | undefined, rev: number, titleRef: RefObject<HTMLInputElement | null> | undefined) {
  const [form, setForm] = useState<Form>({ title: "", notes: "", projectId: "", phaseId: "", artistId: "", start: "", end: "", status: "pencil", expires: "" });
  const formFor = useRef<string | undefined>(undefined);
  const loaded = useRef("");
  useEffect(() => {
    if (!b) return;
    const fresh = {
      title: b.title,
      notes: b.notes ?? "",
      projectId: b.projectId ?? "",
      phaseId: b.phaseId ?? "",
      artistId: b.artistId,
      start: toLocalInput(b.startTime),
      end: toLocalInput(b.endTime),
      status: b.status,
      expires: b.status === "hold" && b.expiresAt !== null ? toLocalInput(b.expiresAt) : "",
    };
    const key = JSON.stringify(fresh);
    const switched = formFor.current !== b.id;
    if (switched || JSON.stringify(form) === loaded.current) {
      setForm(fresh);
      loaded.current = key;
      formFor.current = b.id;
      if (switched && titleRef) setTimeout(() => titleRef.current?.focus(), 0);
    }
  }, [b?.id, b?.version, rev]); // eslint-disable-line react-hooks/exhaustive-deps
  return { form, setForm, loaded };
}

interface FieldsProps {
  form: Form;
  setForm: (form: Form) => void;
  booking: Booking;
  placed: Placed | undefined;
  projects: string[];
  known: ProjectNames;
  artists: Artist[];
  titleRef: RefObject<HTMLInputElement | null>;
}

/** Title, status (where it may go from here), project, artist and times. */
function BookingFields({ form, setForm, booking: b, placed, projects, known, artists, titleRef }: FieldsProps) {
  const statusOptions: BookingStatus[] = [b.status, ...nextStatuses(b.status).filter((s) => s !== "cancelled")];
  return (
    <>
      <label>
        Title
        <input ref={titleRef} name="title" value={form.title} required maxLength={200} onChange={(e) => setForm({ ...form, title: e.target.value })} />
      </label>
      <label>
        Status
        <select name="status" value={form.status} onChange={(e) => setForm({ ...form, status: e.target.value as BookingStatus })}>
          {statusOptions.map((s) => (
            <option key={s} value={s}>
              {STATUS_LABEL[s]}
              {s === "hold" && placed?.holdRank ? ` (${ordinal(placed.holdRank)})` : ""}
            </option>
          ))}
        </select>
      </label>
      <label>
        Project
        <select name="project" value={form.projectId} onChange={(e) => setForm({ ...form, projectId: e.target.value, phaseId: "" })}>
          <option value="">No project</option>
          {projects.map((p) => (
            <option key={p} value={p}>
              {projectName(p, known)}
            </option>
          ))}
        </select>
      </label>
      <PhaseSelect form={form} setForm={setForm} known={known} />
      <label>
        Artist
        <select name="artist" value={form.artistId} onChange={(e) => setForm({ ...form, artistId: e.target.value })}>
          {artists.map((a) => (
            <option key={a.id} value={a.id}>
              {a.name}
            </option>
          ))}
        </select>
      </label>
      <div className="panel__times">
        <label>
          Start
          <input type="datetime-local" name="start" value={form.start} onChange={(e) => setForm({ ...form, start: e.target.value })} />
        </label>
        <label>
          End
          <input type="datetime-local" name="end" value={form.end} onChange={(e) => setForm({ ...form, end: e.target.value })} />
        </label>
      </div>
    </>
  );
}

/** The phases of the chosen project (the tenant snapshot's plans, or a freelancer's REST read); none without a project. */
function PhaseSelect({ form, setForm, known }: Pick<FieldsProps, "form" | "setForm" | "known">) {
  const phases = usePhases(form.projectId, known);
  const listed = phases.some((p) => p.id === form.phaseId);
  return (
    <label>
      Phase
      <select name="phase" value={form.phaseId} disabled={!form.projectId} onChange={(e) => setForm({ ...form, phaseId: e.target.value })}>
        <option value="">No phase</option>
        {phases.map((p) => (
          <option key={p.id} value={p.id}>
            {p.name}
          </option>
        ))}
        {form.phaseId && !listed ? <option value={form.phaseId}>Phase {form.phaseId.slice(0, 8)}</option> : null}
      </select>
    </label>
  );
}

/** The panel edits to the minute; compare the booking's times the same way. */
function toMinute(us: number): number {
  return fromLocalInput(toLocalInput(us))!;
}
