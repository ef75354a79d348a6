-- 政务公开工作要点 and 分工方案 (docs/law/supervision.md §4): one plan per agency and year, its tasks.
CREATE TABLE workplans (
    id          INTEGER PRIMARY KEY,
    agency_id   INTEGER NOT NULL REFERENCES agencies(id),
    year        INTEGER NOT NULL,
    title       TEXT NOT NULL,
    doc_no      TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    UNIQUE (agency_id, year)
);
CREATE TABLE workplan_tasks (
    id          INTEGER PRIMARY KEY,
    plan_id     INTEGER NOT NULL REFERENCES workplans(id),
    seq         INTEGER NOT NULL,
    no          TEXT NOT NULL,
    task        TEXT NOT NULL,
    requirement TEXT NOT NULL,
    lead        TEXT NOT NULL,
    support     TEXT NOT NULL,
    due_text    TEXT NOT NULL,
    due_on      TEXT
);
CREATE INDEX workplan_tasks_plan ON workplan_tasks(plan_id, seq);
