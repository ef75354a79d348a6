-- Foundation: agencies (tenants), staff, role grants, sessions, audit trail, jobs.
CREATE TABLE agencies (
    id          INTEGER PRIMARY KEY,
    code        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    identifier  TEXT,
    kind        TEXT NOT NULL,
    parent_id   INTEGER REFERENCES agencies(id),
    sort_order  INTEGER NOT NULL DEFAULT 0,
    created_at  TEXT NOT NULL
);
CREATE INDEX agencies_parent ON agencies(parent_id);

CREATE TABLE users (
    id              INTEGER PRIMARY KEY,
    username        TEXT NOT NULL UNIQUE,
    display_name    TEXT NOT NULL,
    password_hash   TEXT NOT NULL,
    platform_admin  BOOLEAN NOT NULL DEFAULT FALSE,
    active          BOOLEAN NOT NULL DEFAULT TRUE,
    created_at      TEXT NOT NULL
);

CREATE TABLE role_grants (
    user_id     INTEGER NOT NULL REFERENCES users(id),
    agency_id   INTEGER NOT NULL REFERENCES agencies(id),
    role        TEXT NOT NULL,
    granted_at  TEXT NOT NULL,
    PRIMARY KEY (user_id, agency_id, role)
);
CREATE INDEX role_grants_agency ON role_grants(agency_id);

CREATE TABLE sessions (
    id           TEXT PRIMARY KEY,
    data         TEXT NOT NULL,
    expiry_date  TEXT NOT NULL
);
CREATE INDEX sessions_expiry ON sessions(expiry_date);

-- Append-only: the triggers below refuse any change to a written event (条例 Art. 45 record keeping).
CREATE TABLE audit_events (
    id           INTEGER PRIMARY KEY,
    at           TEXT NOT NULL,
    actor_id     INTEGER REFERENCES users(id),
    actor_label  TEXT NOT NULL,
    agency_id    INTEGER REFERENCES agencies(id),
    action       TEXT NOT NULL,
    object_type  TEXT NOT NULL,
    object_id    TEXT NOT NULL,
    details      TEXT NOT NULL
);
CREATE INDEX audit_events_agency ON audit_events(agency_id, id);
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END;
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END;

CREATE TABLE jobs (
    id            INTEGER PRIMARY KEY,
    kind          TEXT NOT NULL,
    payload       TEXT NOT NULL,
    status        TEXT NOT NULL,
    attempts      INTEGER NOT NULL DEFAULT 0,
    max_attempts  INTEGER NOT NULL DEFAULT 5,
    run_at        TEXT NOT NULL,
    locked_until  TEXT,
    last_error    TEXT,
    created_at    TEXT NOT NULL,
    finished_at   TEXT
);
CREATE INDEX jobs_ready ON jobs(status, run_at);
