-- Staff administration (issue 15): a password set by someone else must be changed at the next sign-in, and a
-- server secret signs the CSRF cookie of anonymous forms (so that they store no session).
ALTER TABLE users ADD COLUMN must_change_password BOOLEAN NOT NULL DEFAULT FALSE;

CREATE TABLE server_secrets (
    name        TEXT PRIMARY KEY,
    value       TEXT NOT NULL,
    created_at  TEXT NOT NULL
);
