-- 0008_projects: projects with their phases, dependencies and milestones, and
-- the phase a booking is planned under.
--
-- Projections like artists and bookings: the latest state of every entity as
-- its events carry it (pt_protocol::project), written by `append` in the
-- same transaction as the events. Projects are never deleted (archiving is
-- an update); a deleted phase, removed dependency or deleted milestone loses
-- its row (its history stays in `events`). Dates are `date`s: a Day is a
-- calendar day without a zone, and every range is half-open (end exclusive).

CREATE TABLE projects (
    tenant_id     uuid        NOT NULL REFERENCES tenants (id),
    id            uuid        NOT NULL,
    name          text        NOT NULL,
    code          text        NOT NULL,
    client        text,
    color         text        NOT NULL,
    status        text        NOT NULL
        CHECK (status IN ('planning', 'active', 'on_hold', 'done', 'archived')),
    start_date    date        NOT NULL,
    end_date      date        NOT NULL,
    budget_days   bigint      CHECK (budget_days >= 0),
    budget_amount bigint      CHECK (budget_amount >= 0),
    currency      text        CHECK (char_length(currency) = 3),
    description   text,
    version       bigint      NOT NULL,
    created_at    timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id),
    CONSTRAINT project_range_not_empty CHECK (end_date > start_date),
    -- The second guard of "a code is unique per studio, whatever its case"
    -- (the project actor is the first). An exclusion constraint rather than a
    -- unique index because it can be deferred to COMMIT: `append` writes each
    -- project's last state of a batch in one statement, in no particular
    -- order, so two projects trading codes within a batch must not trip it
    -- halfway.
    CONSTRAINT project_code_unique EXCLUDE USING btree (
        tenant_id WITH =,
        lower(code) WITH =
    ) DEFERRABLE INITIALLY DEFERRED
);

CREATE TABLE project_phases (
    tenant_id  uuid        NOT NULL,
    id         uuid        NOT NULL,
    project_id uuid        NOT NULL,
    name       text        NOT NULL,
    start_date date        NOT NULL,
    end_date   date        NOT NULL,
    progress   smallint    NOT NULL CHECK (progress BETWEEN 0 AND 100),
    color      text,
    -- The JSON of Vec<pt_protocol::project::SkillEffort>: [{"skill","days"}].
    effort     jsonb       NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(effort) = 'array'),
    version    bigint      NOT NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id),
    -- What dependencies reference: a phase of the same project.
    UNIQUE (tenant_id, project_id, id),
    FOREIGN KEY (tenant_id, project_id) REFERENCES projects (tenant_id, id),
    CONSTRAINT phase_range_not_empty CHECK (end_date > start_date)
);

CREATE INDEX project_phases_project ON project_phases (tenant_id, project_id, start_date);

-- A dependency joins two phases of its own project. A phase with
-- dependencies cannot be deleted (the actor removes them first, each with its
-- own event, and `append` deletes dependencies before phases).
CREATE TABLE project_dependencies (
    tenant_id      uuid        NOT NULL,
    id             uuid        NOT NULL,
    project_id     uuid        NOT NULL,
    predecessor_id uuid        NOT NULL,
    successor_id   uuid        NOT NULL,
    kind           text        NOT NULL
        CHECK (kind IN ('finish_to_start', 'start_to_start', 'finish_to_finish', 'start_to_finish')),
    lag_days       int         NOT NULL,
    created_at     timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, project_id) REFERENCES projects (tenant_id, id),
    FOREIGN KEY (tenant_id, project_id, predecessor_id) REFERENCES project_phases (tenant_id, project_id, id),
    FOREIGN KEY (tenant_id, project_id, successor_id) REFERENCES project_phases (tenant_id, project_id, id),
    CONSTRAINT dependency_not_on_itself CHECK (predecessor_id <> successor_id)
);

CREATE INDEX project_dependencies_project ON project_dependencies (tenant_id, project_id);
-- Deleting a phase checks both foreign keys: by index, not by a scan.
CREATE INDEX project_dependencies_predecessor ON project_dependencies (tenant_id, project_id, predecessor_id);
CREATE INDEX project_dependencies_successor ON project_dependencies (tenant_id, project_id, successor_id);

-- A milestone's `phase_id` is a hint for display, not a reference: it has no
-- foreign key, so deleting a phase never depends on its milestones.
CREATE TABLE project_milestones (
    tenant_id  uuid        NOT NULL,
    id         uuid        NOT NULL,
    project_id uuid        NOT NULL,
    name       text        NOT NULL,
    date       date        NOT NULL,
    done       boolean     NOT NULL,
    phase_id   uuid,
    version    bigint      NOT NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, project_id) REFERENCES projects (tenant_id, id)
);

CREATE INDEX project_milestones_project ON project_milestones (tenant_id, project_id, date);

-- A booking's phase, like its project, is not a foreign key: bookings are
-- the artist actors' and outlive what they were planned under.
ALTER TABLE bookings ADD COLUMN phase_id uuid;

-- The log now names project entities too. NOT VALID: the rows already there
-- passed the stricter check this replaces, and validating would scan the
-- whole log under an exclusive lock; new rows are checked as ever.
ALTER TABLE events DROP CONSTRAINT events_entity_check;
ALTER TABLE events ADD CONSTRAINT events_entity_check
    CHECK (entity IN ('artist', 'booking', 'project', 'phase', 'dependency', 'milestone')) NOT VALID;

-- Row-level security and privileges, as for every tenant table (0003).
GRANT SELECT, INSERT, UPDATE, DELETE ON projects, project_phases, project_dependencies, project_milestones TO pt_app;

ALTER TABLE projects ENABLE ROW LEVEL SECURITY;
ALTER TABLE projects FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON projects
    USING (tenant_id = pt_current_tenant()) WITH CHECK (tenant_id = pt_current_tenant());

ALTER TABLE project_phases ENABLE ROW LEVEL SECURITY;
ALTER TABLE project_phases FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON project_phases
    USING (tenant_id = pt_current_tenant()) WITH CHECK (tenant_id = pt_current_tenant());

ALTER TABLE project_dependencies ENABLE ROW LEVEL SECURITY;
ALTER TABLE project_dependencies FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON project_dependencies
    USING (tenant_id = pt_current_tenant()) WITH CHECK (tenant_id = pt_current_tenant());

ALTER TABLE project_milestones ENABLE ROW LEVEL SECURITY;
ALTER TABLE project_milestones FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON project_milestones
    USING (tenant_id = pt_current_tenant()) WITH CHECK (tenant_id = pt_current_tenant());
