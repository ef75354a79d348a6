-- 政务新媒体 register (docs/law/supervision.md §3): an agency's accounts and the steps of their lifecycle.
CREATE TABLE media_accounts (
    id                INTEGER PRIMARY KEY,
    agency_id         INTEGER NOT NULL REFERENCES agencies(id),
    platform          TEXT NOT NULL,
    name              TEXT NOT NULL,
    url               TEXT NOT NULL,
    sponsor           TEXT NOT NULL,
    operator          TEXT NOT NULL,
    verified_subject  TEXT NOT NULL,
    filing_no         TEXT NOT NULL,
    status            TEXT NOT NULL,
    last_post_on      TEXT,
    interaction_on    BOOLEAN NOT NULL,
    pending           TEXT,
    opened_on         TEXT,
    notice_on         TEXT,
    notice_until      TEXT,
    closed_on         TEXT,
    created_at        TEXT NOT NULL
);
CREATE INDEX media_accounts_agency ON media_accounts(agency_id, status);

-- Every step of an account, append-only.
CREATE TABLE media_events (
    id          INTEGER PRIMARY KEY,
    account_id  INTEGER NOT NULL REFERENCES media_accounts(id),
    step        TEXT NOT NULL,
    from_status TEXT,
    to_status   TEXT NOT NULL,
    day         TEXT NOT NULL,
    actor       TEXT NOT NULL,
    note        TEXT NOT NULL,
    created_at  TEXT NOT NULL
);
CREATE INDEX media_events_account ON media_events(account_id, id);
CREATE TRIGGER media_events_no_update BEFORE UPDATE ON media_events
BEGIN SELECT RAISE(ABORT, 'media_events is append-only'); END;
CREATE TRIGGER media_events_no_delete BEFORE DELETE ON media_events
BEGIN SELECT RAISE(ABORT, 'media_events is append-only'); END;
