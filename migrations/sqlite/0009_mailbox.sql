-- 市长信箱: letters from the public and their handling (docs/law/public-interaction.md §4, §6).
CREATE TABLE mailbox_letters (
    id               INTEGER PRIMARY KEY,
    agency_id        INTEGER NOT NULL REFERENCES agencies(id),
    query_code       TEXT NOT NULL UNIQUE,
    password_hash    TEXT NOT NULL,
    kind             TEXT NOT NULL,
    title            TEXT NOT NULL,
    content          TEXT NOT NULL,
    writer_name      TEXT NOT NULL,
    phone            TEXT NOT NULL,
    email            TEXT NOT NULL,
    publish_consent  INTEGER NOT NULL,
    confidential     INTEGER NOT NULL,
    received_on      TEXT NOT NULL,
    received_at      TEXT NOT NULL,
    limit_wd         INTEGER NOT NULL,
    due_on           TEXT NOT NULL,
    status           TEXT NOT NULL,
    reply            TEXT NOT NULL DEFAULT '',
    replied_on       TEXT,
    reject_reason    TEXT NOT NULL DEFAULT '',
    petition         INTEGER NOT NULL DEFAULT 0,
    published        INTEGER NOT NULL DEFAULT 0,
    published_question TEXT NOT NULL DEFAULT '',
    published_reply  TEXT NOT NULL DEFAULT '',
    published_at     TEXT,
    satisfaction     TEXT,
    updated_at       TEXT NOT NULL
);
CREATE INDEX mailbox_letters_agency ON mailbox_letters(agency_id, status, due_on);
CREATE INDEX mailbox_letters_published ON mailbox_letters(agency_id, published, published_at);

-- Every step on a letter, append-only (the letter row holds the state the steps led to).
CREATE TABLE mailbox_events (
    id          INTEGER PRIMARY KEY,
    letter_id   INTEGER NOT NULL REFERENCES mailbox_letters(id),
    kind        TEXT NOT NULL,
    details     TEXT NOT NULL,
    actor_label TEXT NOT NULL,
    at          TEXT NOT NULL
);
CREATE INDEX mailbox_events_letter ON mailbox_events(letter_id, id);
CREATE TRIGGER mailbox_events_no_update BEFORE UPDATE ON mailbox_events
BEGIN SELECT RAISE(ABORT, 'mailbox_events is append-only'); END;
CREATE TRIGGER mailbox_events_no_delete BEFORE DELETE ON mailbox_events
BEGIN SELECT RAISE(ABORT, 'mailbox_events is append-only'); END;
