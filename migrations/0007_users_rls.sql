-- 0007_users_rls: users are visible only where the server is looking for them.
--
-- `users` is global (a person may belong to several studios), so it had no
-- policy: as pt_app, `SELECT * FROM users` listed every account's email and
-- password hash. Now a user row is visible when it is
--   * the user being logged in or looked up by id (`app.current_user`),
--   * the account an email is looked up for at sign-in (`app.user_email`), or
--   * a member of the current studio (`app.current_tenant`, e.g. the member list);
-- so a query that forgot its filter shows nothing, as with the studio tables.
-- New accounts may always be inserted (sign-up, accepting an invitation); only
-- the current user's row may be updated; none deleted (pt_app has no DELETE).

CREATE OR REPLACE FUNCTION pt_current_email() RETURNS text
    LANGUAGE sql STABLE
    AS $$ SELECT NULLIF(current_setting('app.user_email', true), '') $$;
GRANT EXECUTE ON FUNCTION pt_current_email() TO pt_app;

ALTER TABLE users ENABLE ROW LEVEL SECURITY;
ALTER TABLE users FORCE ROW LEVEL SECURITY;
CREATE POLICY users_visible ON users FOR SELECT
    USING (
        id = pt_current_user()
        OR email = pt_current_email()
        OR EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = users.id AND m.tenant_id = pt_current_tenant())
    );
CREATE POLICY users_insert ON users FOR INSERT
    WITH CHECK (true);
CREATE POLICY users_update ON users FOR UPDATE
    USING (id = pt_current_user()) WITH CHECK (id = pt_current_user());
