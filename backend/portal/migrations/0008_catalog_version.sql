-- The catalog's version, raised by every change of the catalog in the transaction that makes it:
-- each portal replica rebuilds its search index when it sees a new one.
CREATE TABLE catalog_version (
    id INTEGER PRIMARY KEY,
    version BIGINT NOT NULL
);
INSERT INTO catalog_version (id, version) VALUES (1, 0);
