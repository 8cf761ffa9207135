-- 0002_snapshots: tenant snapshots, so activation reads a snapshot plus the
-- events after it instead of the whole history.
--
-- `payload` is the PTSNAP1 blob of actors/src/store/snapshot.rs (it carries its
-- own seq and checksum; a payload that fails them is ignored and the tenant is
-- loaded from the projection tables instead). The store keeps the two newest
-- snapshots per tenant and prunes older ones when it saves a new one.

CREATE TABLE snapshots (
    tenant_id uuid        NOT NULL REFERENCES tenants (id),
    seq       bigint      NOT NULL CHECK (seq >= 0),
    taken_at  timestamptz NOT NULL DEFAULT now(),
    payload   bytea       NOT NULL,
    PRIMARY KEY (tenant_id, seq)
);
