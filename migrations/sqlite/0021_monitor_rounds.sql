-- Website self-monitoring rounds (docs/law/supervision.md §2.6–§2.8): the daily check result of each agency (so
-- the dashboard shows since when it fails), the URLs the probe job opens, the 通报 of a round with its own yearly
-- 文号 sequence, and the 整改 of each failing finding.
CREATE TABLE monitor_daily_results (
    agency_id   INTEGER NOT NULL REFERENCES agencies(id),
    day         TEXT NOT NULL,
    verdict     TEXT NOT NULL,
    score       INTEGER,
    findings    TEXT NOT NULL,
    checked_at  TEXT NOT NULL,
    PRIMARY KEY (agency_id, day)
);

CREATE TABLE monitor_probe_urls (
    id          INTEGER PRIMARY KEY,
    agency_id   INTEGER NOT NULL REFERENCES agencies(id),
    url         TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    UNIQUE (agency_id, url)
);

CREATE TABLE monitor_bulletin_sequences (
    agency_id   INTEGER NOT NULL REFERENCES agencies(id),
    year        INTEGER NOT NULL,
    last_no     INTEGER NOT NULL,
    PRIMARY KEY (agency_id, year)
);

CREATE TABLE monitor_bulletins (
    id            INTEGER PRIMARY KEY,
    agency_id     INTEGER NOT NULL REFERENCES agencies(id),
    round         TEXT NOT NULL,
    period        TEXT NOT NULL,
    check_date    TEXT NOT NULL,
    title         TEXT NOT NULL,
    body          TEXT NOT NULL,
    findings      TEXT NOT NULL,
    status        TEXT NOT NULL,
    doc_no        TEXT,
    seq_year      INTEGER,
    seq_no        INTEGER,
    issued_on     TEXT,
    entry_id      INTEGER REFERENCES catalog_entries(id),
    submitted_by  INTEGER REFERENCES users(id),
    return_note   TEXT NOT NULL DEFAULT '',
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    updated_by    TEXT NOT NULL,
    UNIQUE (agency_id, seq_year, seq_no)
);
CREATE INDEX monitor_bulletins_agency ON monitor_bulletins (agency_id, check_date);

CREATE TABLE monitor_rectifications (
    id           INTEGER PRIMARY KEY,
    bulletin_id  INTEGER NOT NULL REFERENCES monitor_bulletins(id),
    agency_id    INTEGER NOT NULL REFERENCES agencies(id),
    indicator    TEXT NOT NULL,
    kind         TEXT NOT NULL,
    message      TEXT NOT NULL,
    due_on       TEXT NOT NULL,
    status       TEXT NOT NULL,
    report       TEXT NOT NULL DEFAULT '',
    evidence     TEXT NOT NULL DEFAULT '',
    reported_on  TEXT,
    review_note  TEXT NOT NULL DEFAULT '',
    rejections   INTEGER NOT NULL DEFAULT 0,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    updated_by   TEXT NOT NULL
);
CREATE INDEX monitor_rectifications_agency ON monitor_rectifications (agency_id, status);
CREATE INDEX monitor_rectifications_bulletin ON monitor_rectifications (bulletin_id);
