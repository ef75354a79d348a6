-- 依申请公开: applicants (recognised by their identity document), applications, and the append-only case log.
CREATE TABLE applicants (
    id              INTEGER PRIMARY KEY,
    id_type         TEXT NOT NULL,
    id_number       TEXT NOT NULL,
    name            TEXT NOT NULL,
    applicant_type  TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    UNIQUE (id_type, id_number)
);

CREATE TABLE applications (
    id              INTEGER PRIMARY KEY,
    agency_id       INTEGER NOT NULL REFERENCES agencies(id),
    applicant_id    INTEGER NOT NULL REFERENCES applicants(id),
    tracking_code   TEXT NOT NULL UNIQUE,
    password_hash   TEXT NOT NULL,
    channel         TEXT NOT NULL,
    applicant_type  TEXT NOT NULL,
    applicant_name  TEXT NOT NULL,
    id_type         TEXT NOT NULL,
    id_number       TEXT NOT NULL,
    phone           TEXT NOT NULL,
    email           TEXT NOT NULL,
    address         TEXT NOT NULL,
    description     TEXT NOT NULL,
    delivery        TEXT NOT NULL,
    submitted_on    TEXT NOT NULL,
    stage           TEXT NOT NULL,
    outcome         TEXT,
    created_at      TEXT NOT NULL
);
CREATE INDEX applications_agency ON applications(agency_id, submitted_on);
CREATE INDEX applications_applicant ON applications(applicant_id, submitted_on);

-- Append-only (条例 Art. 45): a mistaken entry is corrected by a new event.
CREATE TABLE application_events (
    id              INTEGER PRIMARY KEY,
    application_id  INTEGER NOT NULL REFERENCES applications(id),
    at              TEXT NOT NULL,
    actor_id        INTEGER REFERENCES users(id),
    actor_label     TEXT NOT NULL,
    on_date         TEXT NOT NULL,
    kind            TEXT NOT NULL,
    data            TEXT NOT NULL,
    note            TEXT NOT NULL DEFAULT ''
);
CREATE INDEX application_events_application ON application_events(application_id, id);
CREATE TRIGGER application_events_no_update BEFORE UPDATE ON application_events
BEGIN SELECT RAISE(ABORT, 'application_events is append-only'); END;
CREATE TRIGGER application_events_no_delete BEFORE DELETE ON application_events
BEGIN SELECT RAISE(ABORT, 'application_events is append-only'); END;
