-- Working-day calendar: one row per year of 国务院办公厅《关于Y年部分节假日安排的通知》, with provenance.
-- `data` is the whole notice (gongkai_domain::calendar::HolidayYear) as JSON.
CREATE TABLE calendar_years (
    year        INTEGER PRIMARY KEY,
    notice_url  TEXT,
    data        TEXT NOT NULL,
    source      TEXT NOT NULL CHECK (source IN ('seed', 'import')),
    loaded_at   TEXT NOT NULL,
    loaded_by   TEXT NOT NULL
);
