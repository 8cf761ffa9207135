-- 0014_jobs (issue 18): the job marketplace. Listings and applications are
-- projections of their events (`jobCreated` … `applicationUpdated`), written
-- in the append transaction like every projection; `state` is the entity's
-- JSON, the other columns what is filtered on. Row-level security as for
-- every tenant table (0003).
CREATE TABLE job_listings (
    tenant_id  uuid        NOT NULL REFERENCES tenants (id),
    id         uuid        NOT NULL,
    status     text        NOT NULL CHECK (status IN ('draft', 'open', 'closed', 'filled')),
    visibility text        NOT NULL CHECK (visibility IN ('studio', 'public')),
    created_at timestamptz NOT NULL,
    state      jsonb       NOT NULL,
    PRIMARY KEY (tenant_id, id)
);

CREATE TABLE job_applications (
    tenant_id  uuid        NOT NULL REFERENCES tenants (id),
    id         uuid        NOT NULL,
    job_id     uuid        NOT NULL,
    applicant  uuid        NOT NULL,
    status     text        NOT NULL CHECK (status IN ('applied', 'shortlisted', 'offered', 'accepted', 'declined',
                                                      'rejected', 'withdrawn')),
    created_at timestamptz NOT NULL,
    state      jsonb       NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, job_id) REFERENCES job_listings (tenant_id, id)
);
-- At most one live application per freelancer and listing (the jobs actor
-- decides it; this makes a breach impossible to persist).
CREATE UNIQUE INDEX job_applications_one_live ON job_applications (tenant_id, job_id, applicant)
    WHERE status IN ('applied', 'shortlisted', 'offered');
CREATE INDEX job_applications_applicant ON job_applications (tenant_id, applicant);

GRANT SELECT, INSERT, UPDATE, DELETE ON job_listings, job_applications TO pt_app;
ALTER TABLE job_listings ENABLE ROW LEVEL SECURITY;
ALTER TABLE job_listings FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON job_listings
    USING (tenant_id = pt_current_tenant()) WITH CHECK (tenant_id = pt_current_tenant());
ALTER TABLE job_applications ENABLE ROW LEVEL SECURITY;
ALTER TABLE job_applications FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON job_applications
    USING (tenant_id = pt_current_tenant()) WITH CHECK (tenant_id = pt_current_tenant());

-- Listings a member saved, in the studio they were signed in to: a setting,
-- written directly. The listing may be another studio's (a public one), so
-- `job_id` has no foreign key.
CREATE TABLE saved_jobs (
    tenant_id uuid        NOT NULL REFERENCES tenants (id),
    user_id   uuid        NOT NULL,
    job_id    uuid        NOT NULL,
    saved_at  timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, user_id, job_id)
);
GRANT SELECT, INSERT, DELETE ON saved_jobs TO pt_app;
ALTER TABLE saved_jobs ENABLE ROW LEVEL SECURITY;
ALTER TABLE saved_jobs FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON saved_jobs
    USING (tenant_id = pt_current_tenant()) WITH CHECK (tenant_id = pt_current_tenant());

-- The two deliberate crossings, without row-level security (see
-- actors/src/store/jobs.rs): the public board — an open public listing and
-- its studio's name only — and where each application is held.
CREATE TABLE public_jobs (
    job_id      uuid        PRIMARY KEY,
    tenant_id   uuid        NOT NULL REFERENCES tenants (id),
    studio_name text        NOT NULL,
    created_at  timestamptz NOT NULL,
    state       jsonb       NOT NULL
);
CREATE TABLE application_index (
    application_id uuid PRIMARY KEY,
    tenant_id      uuid NOT NULL REFERENCES tenants (id),
    applicant      uuid NOT NULL
);
CREATE INDEX application_index_applicant ON application_index (applicant);
GRANT SELECT, INSERT, UPDATE, DELETE ON public_jobs TO pt_app;
GRANT SELECT, INSERT ON application_index TO pt_app;

-- Job alerts: a member who turned them on is told (`jobMatched`) when a new
-- public listing asks for skills they have. A person's own setting, read
-- across studios when a listing opens, so global like `users`: the user, the
-- studio they are told in, and their skill tags with levels; nothing else.
CREATE TABLE job_alerts (
    user_id    uuid        PRIMARY KEY,
    tenant_id  uuid        NOT NULL REFERENCES tenants (id),
    skills     jsonb       NOT NULL,
    updated_at timestamptz NOT NULL
);
GRANT SELECT, INSERT, UPDATE, DELETE ON job_alerts TO pt_app;

-- The new notification kinds, and the log's new entities.
ALTER TABLE notifications DROP CONSTRAINT notifications_kind_check;
ALTER TABLE notifications ADD CONSTRAINT notifications_kind_check
    CHECK (kind IN ('bookingOffered', 'bookingChanged', 'bookingConfirmed', 'bookingCancelled', 'holdPromoted',
                    'holdChallenged', 'holdReleased', 'queuePlaced', 'timeOffDecided', 'invitationAccepted',
                    'holdExpiring', 'challengeDeadline', 'applicationChanged', 'jobInvited', 'jobMatched'));
ALTER TABLE events DROP CONSTRAINT events_entity_check;
ALTER TABLE events ADD CONSTRAINT events_entity_check
    CHECK (entity IN ('artist', 'booking', 'project', 'phase', 'dependency', 'milestone', 'notification', 'inbox',
                      'job', 'application'))
    NOT VALID;
