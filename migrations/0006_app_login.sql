-- 0006_app_login: the server's runtime pool logs in as `pt_app` itself.
--
-- Until now the server logged in with DATABASE_URL's role (the owner, often a
-- superuser) and switched to `pt_app` inside each transaction; whatever ran
-- outside those transactions (readiness, advisory locks) ran as the owner and
-- was not bound by row-level security. Now only the migrations use the owner
-- role, on a connection of their own; the pool connects as `pt_app`, which is
-- not a superuser, cannot bypass RLS and owns nothing, and the server refuses
-- to start when its runtime role is or could become any of those.
--
-- No password is set here: under `trust` (or peer/cert) authentication none is
-- needed. With password authentication, an operator sets one once:
--     ALTER ROLE pt_app PASSWORD '…';
-- and gives it to the server (PT_APP_DATABASE_PASSWORD, or PT_APP_DATABASE_URL).

-- Roles are cluster-wide and every database migrates on its own (the
-- migration lock is per database), so several databases may run this at
-- once: ALTER ROLE only when needed, and retry when a concurrent migration
-- changed the row first ("tuple concurrently updated", internal_error).
DO $$
DECLARE
    attempt int := 0;
BEGIN
    LOOP
        BEGIN
            IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'pt_app' AND rolcanlogin) THEN
                RETURN;
            END IF;
            ALTER ROLE pt_app LOGIN;
            RETURN;
        EXCEPTION WHEN internal_error THEN
            attempt := attempt + 1;
            IF attempt >= 10 THEN
                RAISE;
            END IF;
            PERFORM pg_sleep(0.05 * attempt);
        END;
    END LOOP;
END
$$;

-- Connecting: PUBLIC usually has it, but a hardened database may not.
DO $$
BEGIN
    EXECUTE format('GRANT CONNECT ON DATABASE %I TO pt_app', current_database());
END
$$;

-- Readiness reads the schema version as the runtime role.
GRANT SELECT ON pt_schema_migrations TO pt_app;

-- The policies call these. PUBLIC may execute functions by default, but not
-- where default privileges were tightened. (Rows of the tenant and identity
-- tables were granted in 0003 and 0004; set_config, hashtextextended and the
-- advisory-lock functions are built-ins executable by PUBLIC; no table uses a
-- sequence.)
GRANT EXECUTE ON FUNCTION pt_current_tenant(), pt_current_user() TO pt_app;
