-- The time limits of the interaction channels per agency (docs/law/public-interaction.md: every limit is
-- configurable per tenant). A missing row means the law file's defaults.
CREATE TABLE interaction_limits (
    agency_id   BIGINT PRIMARY KEY REFERENCES agencies(id),
    limits      JSONB NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL,
    updated_by  TEXT NOT NULL
);
