-- 12345 work orders of an agency (docs/law/public-interaction.md §3, §6, §7): imported from the platform's export,
-- upserted on (agency, 工单编号); the local steps staff record, append-only; and one row per imported file.
-- Personal data (诉求人, 联系电话) is masked before it is stored, in the raw row too.
CREATE TABLE hotline_import_batches (
    id                INTEGER PRIMARY KEY,
    agency_id         INTEGER NOT NULL REFERENCES agencies(id),
    file_name         TEXT NOT NULL,
    file_hash         TEXT NOT NULL,
    row_count         INTEGER NOT NULL,
    created           INTEGER NOT NULL,
    updated           INTEGER NOT NULL,
    unchanged         INTEGER NOT NULL,
    imported_by       INTEGER REFERENCES users(id),
    imported_by_label TEXT NOT NULL,
    imported_at       TEXT NOT NULL
);
CREATE INDEX hotline_import_batches_agency ON hotline_import_batches(agency_id, id);

CREATE TABLE hotline_orders (
    id              INTEGER PRIMARY KEY,
    agency_id       INTEGER NOT NULL REFERENCES agencies(id),
    order_no        TEXT NOT NULL,
    kind            TEXT NOT NULL,
    title           TEXT NOT NULL,
    content         TEXT NOT NULL,
    unit            TEXT NOT NULL,
    channel         TEXT NOT NULL,
    contact_name    TEXT NOT NULL,
    contact_phone   TEXT NOT NULL,
    urgency         TEXT NOT NULL,
    category_code   TEXT NOT NULL,
    category_name   TEXT NOT NULL,
    -- 派单 (received by the office): the instant, and its Beijing date (years and deadlines count by it).
    dispatched_at   TEXT NOT NULL,
    dispatched_on   TEXT NOT NULL,
    -- The deadline the file gives (截止时间, or 办理时限 in working days); neither: the defaults of §3.3.
    due_on          TEXT,
    time_limit_days INTEGER,
    status          TEXT NOT NULL,
    closed_at       TEXT,
    reply           TEXT NOT NULL,
    satisfaction    TEXT,
    duplicate       BOOLEAN NOT NULL DEFAULT FALSE,
    invalid         BOOLEAN NOT NULL DEFAULT FALSE,
    raw             TEXT NOT NULL,
    batch_id        INTEGER NOT NULL REFERENCES hotline_import_batches(id),
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    UNIQUE (agency_id, order_no)
);
CREATE INDEX hotline_orders_agency ON hotline_orders(agency_id, dispatched_on);

-- Append-only: a mistaken step is corrected by a new one.
CREATE TABLE hotline_events (
    id              INTEGER PRIMARY KEY,
    order_id        INTEGER NOT NULL REFERENCES hotline_orders(id),
    at              TEXT NOT NULL,
    actor_id        INTEGER REFERENCES users(id),
    actor_label     TEXT NOT NULL,
    on_date         TEXT NOT NULL,
    kind            TEXT NOT NULL,
    data            TEXT NOT NULL,
    note            TEXT NOT NULL DEFAULT ''
);
CREATE INDEX hotline_events_order ON hotline_events(order_id, id);
CREATE TRIGGER hotline_events_no_update BEFORE UPDATE ON hotline_events
BEGIN SELECT RAISE(ABORT, 'hotline_events is append-only'); END;
CREATE TRIGGER hotline_events_no_delete BEFORE DELETE ON hotline_events
BEGIN SELECT RAISE(ABORT, 'hotline_events is append-only'); END;
