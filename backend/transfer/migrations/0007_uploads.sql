-- Uploads in progress at the data server: the temporary file each writes, so that the files of
-- uploads a crash interrupted are found and removed without walking the storages.
CREATE TABLE uploads (
    id TEXT PRIMARY KEY,
    storage_url TEXT NOT NULL,
    directory TEXT NOT NULL,
    temporary TEXT NOT NULL,
    started_at BIGINT NOT NULL
);
