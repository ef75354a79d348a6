-- The 政府信息公开指南 of each agency (条例 Art. 12) and the directory of 公共企事业单位 (条例 Art. 55).
CREATE TABLE disclosure_guides (
    agency_id   INTEGER PRIMARY KEY REFERENCES agencies(id),
    content     TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    updated_by  INTEGER REFERENCES users(id)
);

CREATE TABLE public_units (
    id          INTEGER PRIMARY KEY,
    agency_id   INTEGER NOT NULL REFERENCES agencies(id),
    name        TEXT NOT NULL,
    category    TEXT NOT NULL,
    details     TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    UNIQUE (agency_id, name)
);
CREATE INDEX public_units_category ON public_units (category);
