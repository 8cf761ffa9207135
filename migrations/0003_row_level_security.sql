-- 0003: row-level security on every tenant table.
--
-- Every data transaction of the server runs as `pt_app` (the store switches
-- to it with `set_config('role', 'pt_app', true)` right after BEGIN, together
-- with `app.current_tenant`). `pt_app` is not a superuser, does not own the
-- tables, cannot bypass RLS and may only read and write rows; the policies
-- below (FORCEd, so they would bind an owner too) show it exactly one
-- tenant's rows: a query that forgot its tenant filter still sees nothing of
-- another studio, and a write for another tenant is refused.

DO $$
BEGIN
    CREATE ROLE pt_app NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS NOINHERIT;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
    NULL; -- roles are cluster-wide: another database created it already
END
$$;

-- The server's login role must be able to switch to pt_app.
DO $$
BEGIN
    EXECUTE format('GRANT pt_app TO %I', current_user);
EXCEPTION WHEN others THEN
    NULL; -- already a member (or a concurrent migration of another database granted it)
END
$$;

GRANT USAGE ON SCHEMA public TO pt_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON tenants, artists, bookings, events, commands, snapshots TO pt_app;

-- The tenant of the current transaction; NULL (no rows) when unset.
CREATE OR REPLACE FUNCTION pt_current_tenant() RETURNS uuid
    LANGUAGE sql STABLE
    AS $$ SELECT NULLIF(current_setting('app.current_tenant', true), '')::uuid $$;

ALTER TABLE tenants ENABLE ROW LEVEL SECURITY;
ALTER TABLE tenants FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON tenants
    USING (id = pt_current_tenant()) WITH CHECK (id = pt_current_tenant());

ALTER TABLE artists ENABLE ROW LEVEL SECURITY;
ALTER TABLE artists FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON artists
    USING (tenant_id = pt_current_tenant()) WITH CHECK (tenant_id = pt_current_tenant());

ALTER TABLE bookings ENABLE ROW LEVEL SECURITY;
ALTER TABLE bookings FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON bookings
    USING (tenant_id = pt_current_tenant()) WITH CHECK (tenant_id = pt_current_tenant());

ALTER TABLE events ENABLE ROW LEVEL SECURITY;
ALTER TABLE events FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON events
    USING (tenant_id = pt_current_tenant()) WITH CHECK (tenant_id = pt_current_tenant());

ALTER TABLE commands ENABLE ROW LEVEL SECURITY;
ALTER TABLE commands FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON commands
    USING (tenant_id = pt_current_tenant()) WITH CHECK (tenant_id = pt_current_tenant());

ALTER TABLE snapshots ENABLE ROW LEVEL SECURITY;
ALTER TABLE snapshots FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON snapshots
    USING (tenant_id = pt_current_tenant()) WITH CHECK (tenant_id = pt_current_tenant());
