-- One row that `/readyz` rewrites: the database takes a write (not only a read, as `/healthz` checks).
CREATE TABLE readiness (
    id          INTEGER PRIMARY KEY,
    checked_at  TEXT NOT NULL
);
