-- Website self-monitoring (网站自查, docs/law/supervision.md §2): the update class an administrator chose for a
-- column (a column without a row has the default of its slug and name), and the stored results of site probes.
CREATE TABLE monitor_column_classes (
    column_id   INTEGER PRIMARY KEY REFERENCES catalog_columns(id),
    agency_id   INTEGER NOT NULL REFERENCES agencies(id),
    class       TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    updated_by  INTEGER REFERENCES users(id)
);
CREATE INDEX monitor_column_classes_agency ON monitor_column_classes (agency_id);

CREATE TABLE monitor_probes (
    id         INTEGER PRIMARY KEY,
    agency_id  INTEGER NOT NULL REFERENCES agencies(id),
    url        TEXT NOT NULL,
    probed_at  TEXT NOT NULL,
    ms         INTEGER,
    ok         INTEGER NOT NULL
);
CREATE INDEX monitor_probes_agency ON monitor_probes (agency_id, probed_at);
