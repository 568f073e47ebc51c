-- The catalog: one row per dataset, as imported from a catalog file (`entry`, JSON), with what
-- the transfer service counted in its folder.
CREATE TABLE datasets (
    id TEXT PRIMARY KEY,
    entry TEXT NOT NULL,
    file_count BIGINT NOT NULL DEFAULT 0,
    bytes BIGINT NOT NULL DEFAULT 0,
    years_present TEXT NOT NULL DEFAULT '[]',
    imported_at BIGINT NOT NULL,
    counted_at BIGINT NOT NULL
);
