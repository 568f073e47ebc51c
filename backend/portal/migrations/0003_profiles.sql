-- What researchers tell the portal about themselves.
CREATE TABLE profiles (
    identity_id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    email TEXT NOT NULL,
    institution TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);
