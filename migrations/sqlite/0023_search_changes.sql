-- The search change feed: one row per change that affects the full-text index, written in the change's own
-- transaction. Every node follows it from the last id its index has applied (several nodes, one database).
-- entry_id NULL means "rebuild everything" (after bulk loads).
CREATE TABLE search_changes (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    entry_id    INTEGER,
    created_at  TEXT NOT NULL
);
CREATE INDEX search_changes_created ON search_changes (created_at);
