-- Flags are BIGINT 0/1: sqlx's Any driver reads no SQLite BOOLEAN, and BIGINT reads alike on both.

-- Who can hold a token: people with local accounts, and clients acting as themselves.
CREATE TABLE identities (
    id TEXT PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    email TEXT,
    organization TEXT,
    kind TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

-- Local accounts that sign in with a password (argon2id PHC string).
CREATE TABLE users (
    identity_id TEXT PRIMARY KEY REFERENCES identities (id),
    password_hash TEXT NOT NULL,
    disabled BIGINT NOT NULL CHECK (disabled IN (0, 1)),
    created_at BIGINT NOT NULL
);

-- OAuth clients. A client's id is also its identity's id. Secrets are stored as SHA-256 (base64url)
-- (they are 256-bit random values); public clients have none.
CREATE TABLE clients (
    id TEXT PRIMARY KEY REFERENCES identities (id),
    name TEXT NOT NULL UNIQUE,
    public BIGINT NOT NULL CHECK (public IN (0, 1)),
    secret_hash TEXT,
    redirect_uris TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

-- APIs that accept tokens, and the client that speaks for each (introspection, dependent tokens).
CREATE TABLE resource_servers (
    name TEXT PRIMARY KEY,
    client_id TEXT REFERENCES clients (id)
);

CREATE TABLE scopes (
    scope TEXT PRIMARY KEY,
    resource_server TEXT NOT NULL REFERENCES resource_servers (name),
    description TEXT NOT NULL
);

-- Scopes a resource server may obtain for the user through dependent tokens.
CREATE TABLE scope_dependencies (
    scope TEXT NOT NULL REFERENCES scopes (scope),
    dependency TEXT NOT NULL REFERENCES scopes (scope),
    optional BIGINT NOT NULL CHECK (optional IN (0, 1)),
    PRIMARY KEY (scope, dependency)
);

-- Access and refresh tokens, stored only as SHA-256 (base64url) of the token. A family is one grant:
-- the tokens of a family are revoked together.
CREATE TABLE tokens (
    hash TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    client_id TEXT NOT NULL REFERENCES clients (id),
    identity_id TEXT NOT NULL REFERENCES identities (id),
    resource_server TEXT NOT NULL REFERENCES resource_servers (name),
    scopes TEXT NOT NULL,
    family TEXT NOT NULL,
    issued_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    revoked_at BIGINT
);
CREATE INDEX tokens_family ON tokens (family);
