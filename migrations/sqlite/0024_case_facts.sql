-- The annual report's case summaries: one row per application, refreshed with every event (gongkai-store
-- case_facts.rs), so that a report counts with GROUP BY instead of reading every case log.
-- applicant_column / answer_row: table-order index of the column and of the table 三 row of the first answer.
CREATE TABLE case_facts (
    application_id   INTEGER PRIMARY KEY REFERENCES applications(id),
    agency_id        INTEGER NOT NULL REFERENCES agencies(id),
    version          INTEGER NOT NULL,
    applicant_column INTEGER NOT NULL,
    received_year    INTEGER,
    answered_year    INTEGER,
    answer_row       INTEGER,
    detail           TEXT
);
-- Covering indexes for the three scans of a year's tally, and the few cases with reviews or fees.
CREATE INDEX case_facts_received ON case_facts (agency_id, received_year, answered_year, answer_row, applicant_column);
CREATE INDEX case_facts_answered ON case_facts (agency_id, answered_year, received_year, answer_row, applicant_column);
CREATE INDEX case_facts_detail ON case_facts (agency_id, application_id) WHERE detail IS NOT NULL;

-- The version of the summaries stored (absent: never computed; the store recomputes them all).
CREATE TABLE case_facts_state (
    id      INTEGER PRIMARY KEY,
    version INTEGER NOT NULL
);
