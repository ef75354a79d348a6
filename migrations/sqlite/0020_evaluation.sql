-- Evaluation and 考核 (docs/law/supervision.md §5): a supervising agency's scheme per year, its indicators, and the
-- manual scores of its agencies (auto indicators are computed, not stored).
CREATE TABLE evaluation_schemes (
    id          INTEGER PRIMARY KEY,
    agency_id   INTEGER NOT NULL REFERENCES agencies(id),
    year        INTEGER NOT NULL,
    evaluator   TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    UNIQUE (agency_id, year)
);
CREATE TABLE evaluation_indicators (
    id          INTEGER PRIMARY KEY,
    scheme_id   INTEGER NOT NULL REFERENCES evaluation_schemes(id),
    seq         INTEGER NOT NULL,
    code        TEXT NOT NULL,
    name        TEXT NOT NULL,
    method      TEXT NOT NULL,
    weight      INTEGER NOT NULL,
    cap         INTEGER NOT NULL,
    auto_source TEXT,
    UNIQUE (scheme_id, code)
);
CREATE TABLE evaluation_scores (
    id           INTEGER PRIMARY KEY,
    indicator_id INTEGER NOT NULL REFERENCES evaluation_indicators(id),
    unit_id      INTEGER NOT NULL REFERENCES agencies(id),
    raw_tenths   INTEGER NOT NULL,
    evidence     TEXT NOT NULL,
    scored_by    TEXT NOT NULL,
    scored_at    TEXT NOT NULL,
    UNIQUE (indicator_id, unit_id)
);
