-- Collections: mapped ones expose a storage root to their owner; guest (shared) ones expose a
-- sub-path of a host collection to others through access rules.
CREATE TABLE collections (
    id TEXT PRIMARY KEY,
    display_name TEXT NOT NULL,
    description TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('mapped', 'guest')),
    owner_id TEXT NOT NULL,
    -- mapped: where the files are (`file:///abs/dir`, `s3://bucket/prefix`)
    storage_url TEXT,
    -- guest: the host collection and the directory of it that is shared (`/a/b/`)
    host_collection_id TEXT REFERENCES collections (id) ON DELETE CASCADE,
    host_path TEXT,
    created_at BIGINT NOT NULL,
    CHECK ((kind = 'mapped' AND storage_url IS NOT NULL AND host_collection_id IS NULL)
        OR (kind = 'guest' AND storage_url IS NULL AND host_collection_id IS NOT NULL AND host_path IS NOT NULL))
);
CREATE INDEX collections_by_owner ON collections (owner_id);
CREATE INDEX collections_by_host ON collections (host_collection_id);

-- Access rules ("ACLs") of guest collections: a principal may read (`r`) or read and write (`rw`)
-- a directory (`/a/`) and everything below it.
CREATE TABLE access_rules (
    id TEXT PRIMARY KEY,
    collection_id TEXT NOT NULL REFERENCES collections (id) ON DELETE CASCADE,
    principal_type TEXT NOT NULL CHECK (principal_type IN ('identity', 'group', 'all_authenticated_users', 'anonymous')),
    principal TEXT NOT NULL,
    path TEXT NOT NULL,
    permissions TEXT NOT NULL CHECK (permissions IN ('r', 'rw')),
    created_at BIGINT NOT NULL,
    expires_at BIGINT,
    UNIQUE (collection_id, principal_type, principal, path)
);
