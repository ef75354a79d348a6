-- The search change feed: one row per change that affects the full-text index, written in the change's own
-- transaction. Every node follows it from the last id its index has applied (several nodes, one database).
-- entry_id NULL means "rebuild everything" (after bulk loads). Writers take a transaction-level advisory lock
-- before inserting, so ids become visible in commit order and a follower never skips a late commit.
CREATE TABLE search_changes (
    id          BIGSERIAL PRIMARY KEY,
    entry_id    BIGINT,
    created_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX search_changes_created ON search_changes (created_at);
