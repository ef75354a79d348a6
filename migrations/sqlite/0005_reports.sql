-- 年度报告: yearly figures that come from other systems (entered or imported, with who entered them), and one
-- report per (agency, year) with its narrative, workflow status and, once submitted, the frozen report as JSON.
CREATE TABLE report_figures (
    agency_id       INTEGER NOT NULL REFERENCES agencies(id),
    year            INTEGER NOT NULL,
    figure_key      TEXT NOT NULL,
    value           TEXT NOT NULL,
    entered_by      INTEGER REFERENCES users(id),
    entered_by_label TEXT NOT NULL,
    entered_at      TEXT NOT NULL,
    PRIMARY KEY (agency_id, year, figure_key)
);

CREATE TABLE annual_reports (
    id              INTEGER PRIMARY KEY,
    agency_id       INTEGER NOT NULL REFERENCES agencies(id),
    year            INTEGER NOT NULL,
    status          TEXT NOT NULL,
    section_one     TEXT NOT NULL,
    section_five    TEXT NOT NULL,
    section_six     TEXT NOT NULL,
    comments        TEXT NOT NULL,
    snapshot        TEXT,
    entry_id        INTEGER REFERENCES catalog_entries(id),
    submitted_at    TEXT,
    decided_at      TEXT,
    published_at    TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    UNIQUE (agency_id, year)
);
