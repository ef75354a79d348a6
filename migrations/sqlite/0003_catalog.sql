-- Proactive disclosure: columns (栏目), catalog entries (公开目录条目) and the 索引号 sequences.
CREATE TABLE catalog_columns (
    id           INTEGER PRIMARY KEY,
    agency_id    INTEGER NOT NULL REFERENCES agencies(id),
    slug         TEXT NOT NULL,
    name         TEXT NOT NULL,
    parent_id    INTEGER REFERENCES catalog_columns(id),
    update_days  INTEGER NOT NULL,
    sort_order   INTEGER NOT NULL DEFAULT 0,
    UNIQUE (agency_id, slug)
);

CREATE TABLE catalog_entries (
    id                INTEGER PRIMARY KEY,
    agency_id         INTEGER NOT NULL REFERENCES agencies(id),
    column_id         INTEGER NOT NULL REFERENCES catalog_columns(id),
    status            TEXT NOT NULL,
    title             TEXT NOT NULL,
    index_no          TEXT UNIQUE,
    doc_no            TEXT NOT NULL DEFAULT '',
    publisher         TEXT NOT NULL,
    joint_publishers  TEXT NOT NULL DEFAULT '',
    doc_class         TEXT NOT NULL,
    validity          TEXT,
    written_on        TEXT,
    effective_on      TEXT,
    expires_on        TEXT,
    formed_on         TEXT,
    topic             TEXT NOT NULL DEFAULT '',
    genre             TEXT NOT NULL DEFAULT '',
    keywords          TEXT NOT NULL DEFAULT '',
    summary           TEXT NOT NULL DEFAULT '',
    disclosure        TEXT NOT NULL DEFAULT '主动公开',
    body_html         TEXT NOT NULL DEFAULT '',
    repealed_by       INTEGER REFERENCES catalog_entries(id),
    interprets        INTEGER REFERENCES catalog_entries(id),
    created_by        INTEGER REFERENCES users(id),
    reviewer_id       INTEGER REFERENCES users(id),
    reviewed_at       TEXT,
    review_note       TEXT NOT NULL DEFAULT '',
    approvals         INTEGER NOT NULL DEFAULT 0,
    published_at      TEXT,
    unpublish_reason  TEXT NOT NULL DEFAULT '',
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL
);
CREATE INDEX catalog_entries_column ON catalog_entries(column_id, status, published_at);
CREATE INDEX catalog_entries_interprets ON catalog_entries(interprets);
CREATE INDEX catalog_entries_agency ON catalog_entries(agency_id, status, published_at);

-- 索引号 sequence per agency and year: only ever incremented, so numbers are never reused.
CREATE TABLE index_sequences (
    agency_id  INTEGER NOT NULL REFERENCES agencies(id),
    year       INTEGER NOT NULL,
    last_seq   INTEGER NOT NULL,
    PRIMARY KEY (agency_id, year)
);

-- Attachments (附件): metadata here, bytes in the content-addressed file store (by SHA-256).
CREATE TABLE catalog_attachments (
    id            INTEGER PRIMARY KEY,
    entry_id      INTEGER NOT NULL REFERENCES catalog_entries(id),
    file_name     TEXT NOT NULL,
    content_type  TEXT NOT NULL,
    size          INTEGER NOT NULL,
    sha256        TEXT NOT NULL,
    created_at    TEXT NOT NULL
);
CREATE INDEX catalog_attachments_entry ON catalog_attachments(entry_id, id);
