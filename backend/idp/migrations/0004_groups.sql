-- Groups of identities, for access rules that name a group (transfer ACLs).
CREATE TABLE groups (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    description TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE group_members (
    group_id TEXT NOT NULL REFERENCES groups (id),
    identity_id TEXT NOT NULL REFERENCES identities (id),
    added_at BIGINT NOT NULL,
    PRIMARY KEY (group_id, identity_id)
);
CREATE INDEX group_members_identity ON group_members (identity_id);
