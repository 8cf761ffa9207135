// The side panel on an artist's profile, opened by the "Profile" button on
// their name: read over REST (`profile/profileApi.ts`) when opened and again
// when the artist changes on the server (unless the form has edits). An
// owner edits everything, the day rate and the working hours included; a
// freelancer edits their own profile but not the rate (never sent to them)
// or the hours (shown as text); a manager reads it, rate included. Saving
// sends the changed fields and says "Saved" or the server's refusal, field
// errors included.

import { useEffect, useRef, useState, type FormEvent } from "react";
import { useShallow } from "zustand/react/shallow";
import { errorMessage } from "../api.js";
import { draftOf, hoursOf, patchOf, type Draft } from "../profile/draft.js";
import { loadProfile, mayEditProfile, mayEditRateAndHours, mayViewProfile, saveProfile, saveWorkingHours, seesRate, formatHours, type ProfileView } from "../profile/profileApi.js";
import { AboutFields, HoursFields, PortfolioFields, RateFields, SkillFields } from "../profile/ProfileFields.js";
import { ProfileRead, RateLine } from "../profile/ProfileRead.js";
import * as store from "../store.js";
import { useBoard } from "../store.js";

type Status = { kind: "idle" } | { kind: "loading" } | { kind: "saving" } | { kind: "saved" } | { kind: "error"; message: string };

export function ProfilePanel() {
  const { artistId, artists, session } = useBoard(useShallow((st) => ({ artistId: st.artistPanel, artists: st.artists, session: st.session })));
  const artist = artists.find((a) => a.id === artistId);
  const [profile, setProfile] = useState<ProfileView | undefined>(undefined);
  const [draft, setDraft] = useState<Draft | undefined>(undefined);
  const [status, setStatus] = useState<Status>({ kind: "loading" });
  const loaded = useRef("");
  const headRef = useRef<HTMLHeadingElement>(null);
  const hours = artist?.workingHours;
  const tags = artist?.skills ?? [];

  // Load on opening another artist; reload when the server's artist changes and the form is untouched.
  const shownFor = useRef<string | undefined>(undefined);
  useEffect(() => {
    if (!artistId) return;
    const switched = shownFor.current !== artistId;
    if (switched) {
      shownFor.current = artistId;
      setProfile(undefined);
      setDraft(undefined);
      setStatus({ kind: "loading" });
      setTimeout(() => headRef.current?.focus(), 0);
    } else if (draft && JSON.stringify(draft) !== loaded.current) return;
    let live = true;
    loadProfile(artistId).then(
      (p) => {
        if (!live) return;
        show(p, hours);
        if (switched) setStatus({ kind: "idle" });
      },
      (e: unknown) => live && setStatus({ kind: "error", message: errorMessage(e) }),
    );
    return () => {
      live = false;
    };
  }, [artistId, artist?.version]); // eslint-disable-line react-hooks/exhaustive-deps

  if (!artist || !mayViewProfile(session, artist.id)) return null;
  const close = () => store.openArtistPanel(undefined);
  const edits = mayEditProfile(session, artist.id);
  const owner = mayEditRateAndHours(session);

  function show(p: ProfileView, h: typeof hours, t: readonly string[] = tags) {
    const d = draftOf(p, h, t);
    setProfile(p);
    setDraft(d);
    loaded.current = JSON.stringify(d);
  }

  const dirty = draft !== undefined && JSON.stringify(draft) !== loaded.current;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!draft || !profile) return;
    setStatus({ kind: "saving" });
    try {
      const patch = patchOf(draft, profile, owner, tags);
      let p = profile;
      if (Object.keys(patch).length > 0) p = await saveProfile(artist.id, { ...patch, version: profile.version });
      const next = owner ? hoursOf(draft, hours) : undefined;
      if (next !== undefined) p = { ...p, version: await saveWorkingHours(artist.id, p.version, next) };
      // The skills sent are now the artist's tags (the live artist may not have caught up yet).
      show(p, next === undefined ? hours : (next ?? undefined), patch.skills ? p.skills.map((s) => s.name) : tags);
      setStatus({ kind: "saved" });
    } catch (err) {
      setStatus({ kind: "error", message: errorMessage(err) });
    }
  };

  return (
    <aside className="panel" aria-label={`Profile of ${artist.name}`} data-testid="profile-panel" onKeyDown={(e) => e.key === "Escape" && (close(), e.stopPropagation())}>
      <header className="panel__head">
        <h2 ref={headRef} tabIndex={-1}>
          Profile · {artist.name}
        </h2>
        <span className={`panel__save${status.kind === "saved" ? " panel__save--ok" : ""}`} role="status" data-testid="profile-save">
          {status.kind === "loading" ? "Loading…" : status.kind === "saving" ? "Saving…" : status.kind === "saved" ? "Saved" : ""}
        </span>
        <button type="button" className="icon-button" aria-label="Close panel" onClick={close}>
          ✕
        </button>
      </header>
      {status.kind === "error" ? (
        <p className="panel__error" role="alert" data-testid="profile-error">
          Could not {profile ? "save the profile" : "load the profile"}: {status.message}
        </p>
      ) : null}
      {!profile || !draft ? null : !edits ? (
        <ProfileRead profile={profile} tags={tags} hours={hours} rate={seesRate(session)} />
      ) : (
        <form onSubmit={submit} className="panel__form" aria-label={`Edit the profile of ${artist.name}`}>
          <AboutFields draft={draft} setDraft={setDraft} />
          <SkillFields draft={draft} setDraft={setDraft} />
          <PortfolioFields draft={draft} setDraft={setDraft} />
          {owner ? (
            <>
              <RateFields draft={draft} setDraft={setDraft} />
              <HoursFields draft={draft} setDraft={setDraft} />
            </>
          ) : (
            <>
              {seesRate(session) ? <RateLine profile={profile} /> : null}
              <p className="small">
                Working hours: <span data-testid="profile-hours">{formatHours(hours)}</span>{" "}
                <span className="muted">(set by the studio)</span>
              </p>
            </>
          )}
          <div className="panel__actions">
            <button type="submit" className="primary" disabled={!dirty || status.kind === "saving"}>
              Save profile
            </button>
          </div>
          <p className="muted small">Version {profile.version}</p>
        </form>
      )}
    </aside>
  );
}
