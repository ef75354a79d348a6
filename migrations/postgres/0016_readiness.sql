-- One row that `/readyz` rewrites: the database takes a write (not only a read, as `/healthz` checks).
CREATE TABLE readiness (
    id          BIGINT PRIMARY KEY,
    checked_at  TIMESTAMPTZ NOT NULL
);
