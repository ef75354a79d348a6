-- 分工方案 beyond the task table (docs/law/supervision.md §4, §10.7–§10.10): the plan's parent and issue day,
-- the agencies a task is assigned to, progress reports with evidence, the reminders before a due date; and the
-- quarterly checks of 政务新媒体 accounts (§3.4).
ALTER TABLE workplans ADD COLUMN parent TEXT NOT NULL DEFAULT '';
ALTER TABLE workplans ADD COLUMN issued_on TEXT;

-- The agencies named in 牵头单位 (lead = TRUE) and 配合单位 of a task, as matched at import or entry.
CREATE TABLE workplan_assignments (
    task_id    INTEGER NOT NULL REFERENCES workplan_tasks(id),
    agency_id  INTEGER NOT NULL REFERENCES agencies(id),
    lead       BOOLEAN NOT NULL,
    PRIMARY KEY (task_id, agency_id)
);
CREATE INDEX workplan_assignments_agency ON workplan_assignments(agency_id);

-- A progress report of an assigned agency: 推进中 or 已完成, the quarter it is for, and its evidence.
CREATE TABLE workplan_progress (
    id            INTEGER PRIMARY KEY,
    task_id       INTEGER NOT NULL REFERENCES workplan_tasks(id),
    agency_id     INTEGER NOT NULL REFERENCES agencies(id),
    period        TEXT NOT NULL,
    status        TEXT NOT NULL,
    note          TEXT NOT NULL,
    entry_id      INTEGER REFERENCES catalog_entries(id),
    url           TEXT NOT NULL,
    file_sha256   TEXT,
    file_name     TEXT NOT NULL,
    reported_on   TEXT NOT NULL,
    actor         TEXT NOT NULL,
    created_at    TEXT NOT NULL
);
CREATE INDEX workplan_progress_task ON workplan_progress(task_id, id);

-- A reminder 10 working days before a task's due date, written once per task by the daily job.
CREATE TABLE workplan_reminders (
    id          INTEGER PRIMARY KEY,
    task_id     INTEGER NOT NULL REFERENCES workplan_tasks(id),
    remind_on   TEXT NOT NULL,
    due_on      TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    UNIQUE (task_id)
);

-- A quarterly check of a 政务新媒体 account (§3.4): what was found and the vetoes it gave.
CREATE TABLE media_checks (
    id              INTEGER PRIMARY KEY,
    account_id      INTEGER NOT NULL REFERENCES media_accounts(id),
    quarter         TEXT NOT NULL,
    checked_on      TEXT NOT NULL,
    last_post_on    TEXT,
    interaction_ok  BOOLEAN NOT NULL,
    severe_error    BOOLEAN NOT NULL,
    vetoes          TEXT NOT NULL,
    passed          BOOLEAN NOT NULL,
    note            TEXT NOT NULL,
    actor           TEXT NOT NULL,
    created_at      TEXT NOT NULL
);
CREATE INDEX media_checks_account ON media_checks(account_id, id);
