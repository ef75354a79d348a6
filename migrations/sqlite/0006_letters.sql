-- 文书 of 依申请公开: per-agency templates, the 文号 template and yearly sequence, and the letters themselves
-- (a draft is editable; once sent it is frozen). Cases get a handler.

CREATE TABLE letter_templates (
    agency_id   INTEGER NOT NULL REFERENCES agencies(id),
    kind        TEXT NOT NULL,
    title       TEXT NOT NULL,
    body        TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    updated_by  TEXT NOT NULL,
    PRIMARY KEY (agency_id, kind)
);

CREATE TABLE letter_settings (
    agency_id        INTEGER PRIMARY KEY REFERENCES agencies(id),
    doc_no_template  TEXT NOT NULL,
    updated_at       TEXT NOT NULL
);

-- The last number given per agency and year; numbers are taken in the sending transaction and never reused.
CREATE TABLE letter_sequences (
    agency_id  INTEGER NOT NULL REFERENCES agencies(id),
    year       INTEGER NOT NULL,
    last_no    INTEGER NOT NULL,
    PRIMARY KEY (agency_id, year)
);

-- Replies sent before this migration were numbered by their position among the agency's replies of the year:
-- the sequence continues after them.
INSERT INTO letter_sequences (agency_id, year, last_no)
SELECT a.agency_id, CAST(substr(e.on_date, 1, 4) AS INTEGER), COUNT(*)
FROM application_events e JOIN applications a ON a.id = e.application_id
WHERE e.kind = 'reply_sent'
GROUP BY a.agency_id, CAST(substr(e.on_date, 1, 4) AS INTEGER);

CREATE TABLE letters (
    id              INTEGER PRIMARY KEY,
    agency_id       INTEGER NOT NULL REFERENCES agencies(id),
    application_id  INTEGER NOT NULL REFERENCES applications(id),
    kind            TEXT NOT NULL,
    event_id        INTEGER REFERENCES application_events(id),
    title           TEXT NOT NULL,
    body            TEXT NOT NULL,
    status          TEXT NOT NULL,
    doc_no          TEXT,
    seq_year        INTEGER,
    seq_no          INTEGER,
    sent_on         TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    updated_by      TEXT NOT NULL,
    UNIQUE (agency_id, doc_no),
    UNIQUE (agency_id, seq_year, seq_no)
);
CREATE INDEX letters_application ON letters(application_id, id);
CREATE TRIGGER letters_sent_are_frozen BEFORE UPDATE ON letters WHEN OLD.status = 'sent'
BEGIN SELECT RAISE(ABORT, 'a sent letter is frozen'); END;
CREATE TRIGGER letters_no_delete BEFORE DELETE ON letters
BEGIN SELECT RAISE(ABORT, 'letters are kept'); END;

ALTER TABLE applications ADD COLUMN handler_id INTEGER REFERENCES users(id);
