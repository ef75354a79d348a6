-- 接访电话: the call log (docs/law/public-interaction.md §5). A call that needs follow-up carries a deadline.
CREATE TABLE interaction_calls (
    id            INTEGER PRIMARY KEY,
    agency_id     INTEGER NOT NULL REFERENCES agencies(id),
    called_on     TEXT NOT NULL,
    called_time   TEXT NOT NULL,
    caller        TEXT NOT NULL,
    number_masked TEXT NOT NULL,
    kind          TEXT NOT NULL,
    summary       TEXT NOT NULL,
    handling      TEXT NOT NULL,
    result        TEXT NOT NULL,
    due_on        TEXT,
    closed_on     TEXT,
    recorded_by   TEXT NOT NULL,
    created_at    TEXT NOT NULL
);
CREATE INDEX interaction_calls_agency ON interaction_calls(agency_id, called_on);
