-- 0003_projects (embedded SQLite store): projects, phases, dependencies and
-- milestones, and event rows about them.
--
-- Projections like artists and bookings: each row keeps the entity's latest
-- state as the JSON of its pt_protocol::project type (`state`), plus the
-- columns the constraints and `load_project` need. Days are INTEGER days
-- since 1970-01-01 (pt_protocol::Day); ranges are half-open. Projects are
-- never deleted (archiving is an update); a deleted phase, removed
-- dependency or deleted milestone loses its row. `append` applies the
-- events in `seq` order, the order the project actor decided them in, so
-- the constraints below hold after every statement.
--
-- A booking's phase needs no column: the booking's `state` JSON carries it.

CREATE TABLE projects (
    tenant_id  BLOB    NOT NULL REFERENCES tenants (id),
    id         BLOB    NOT NULL,
    code       TEXT    NOT NULL,
    status     TEXT    NOT NULL
        CHECK (status IN ('planning', 'active', 'on_hold', 'done', 'archived')),
    start_date INTEGER NOT NULL,
    end_date   INTEGER NOT NULL,
    state      TEXT    NOT NULL,
    PRIMARY KEY (tenant_id, id),
    CONSTRAINT project_range_not_empty CHECK (end_date > start_date)
) STRICT;

-- The second guard of "a code is unique per studio, whatever its case".
CREATE UNIQUE INDEX projects_code ON projects (tenant_id, lower(code));

CREATE TABLE project_phases (
    tenant_id  BLOB    NOT NULL,
    id         BLOB    NOT NULL,
    project_id BLOB    NOT NULL,
    start_date INTEGER NOT NULL,
    end_date   INTEGER NOT NULL,
    progress   INTEGER NOT NULL CHECK (progress BETWEEN 0 AND 100),
    state      TEXT    NOT NULL,
    PRIMARY KEY (tenant_id, id),
    -- What dependencies reference: a phase of the same project.
    UNIQUE (tenant_id, project_id, id),
    FOREIGN KEY (tenant_id, project_id) REFERENCES projects (tenant_id, id),
    CONSTRAINT phase_range_not_empty CHECK (end_date > start_date)
) STRICT;

-- A dependency joins two phases of its own project; a phase with
-- dependencies cannot be deleted (the actor removes them first).
CREATE TABLE project_dependencies (
    tenant_id      BLOB NOT NULL,
    id             BLOB NOT NULL,
    project_id     BLOB NOT NULL,
    predecessor_id BLOB NOT NULL,
    successor_id   BLOB NOT NULL,
    state          TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, project_id) REFERENCES projects (tenant_id, id),
    FOREIGN KEY (tenant_id, project_id, predecessor_id) REFERENCES project_phases (tenant_id, project_id, id),
    FOREIGN KEY (tenant_id, project_id, successor_id) REFERENCES project_phases (tenant_id, project_id, id),
    CONSTRAINT dependency_not_on_itself CHECK (predecessor_id <> successor_id)
) STRICT;

CREATE INDEX project_dependencies_project ON project_dependencies (tenant_id, project_id);
-- Deleting a phase checks both foreign keys: by index, not by a scan.
CREATE INDEX project_dependencies_predecessor ON project_dependencies (tenant_id, project_id, predecessor_id);
CREATE INDEX project_dependencies_successor ON project_dependencies (tenant_id, project_id, successor_id);

-- A milestone's phase is a hint for display, not a reference (no foreign
-- key: deleting a phase never depends on its milestones).
CREATE TABLE project_milestones (
    tenant_id  BLOB    NOT NULL,
    id         BLOB    NOT NULL,
    project_id BLOB    NOT NULL,
    date       INTEGER NOT NULL,
    state      TEXT    NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, project_id) REFERENCES projects (tenant_id, id)
) STRICT;

CREATE INDEX project_milestones_project ON project_milestones (tenant_id, project_id);

-- The log now names project entities too. A CHECK cannot be altered in
-- SQLite: the table is rebuilt (nothing references it) and its index made again.
CREATE TABLE events_new (
    tenant_id BLOB    NOT NULL REFERENCES tenants (id),
    seq       INTEGER NOT NULL CHECK (seq > 0),
    cmd_id    BLOB    NOT NULL,
    entity    TEXT    NOT NULL
        CHECK (entity IN ('artist', 'booking', 'project', 'phase', 'dependency', 'milestone')),
    entity_id BLOB    NOT NULL,
    kind      TEXT    NOT NULL,
    payload   TEXT    NOT NULL,
    actor     TEXT    NOT NULL,
    at        INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, seq)
) STRICT;

INSERT INTO events_new (tenant_id, seq, cmd_id, entity, entity_id, kind, payload, actor, at)
SELECT tenant_id, seq, cmd_id, entity, entity_id, kind, payload, actor, at FROM events;
DROP TABLE events;
ALTER TABLE events_new RENAME TO events;
CREATE INDEX events_entity ON events (tenant_id, entity_id, seq);
