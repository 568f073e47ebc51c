-- The identity provider's own sign-in sessions (its cookie, not the portal's). Stored as digests.
CREATE TABLE browser_sessions (
    hash TEXT PRIMARY KEY,
    identity_id TEXT NOT NULL REFERENCES identities (id),
    csrf TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);

-- Failed sign-ins, per account and per address, for throttling.
CREATE TABLE login_failures (
    subject TEXT NOT NULL,
    failed_at BIGINT NOT NULL
);
CREATE INDEX login_failures_subject ON login_failures (subject, failed_at);

-- Scopes a person allowed a client to have.
CREATE TABLE consents (
    identity_id TEXT NOT NULL REFERENCES identities (id),
    client_id TEXT NOT NULL REFERENCES clients (id),
    scope TEXT NOT NULL,
    granted_at BIGINT NOT NULL,
    PRIMARY KEY (identity_id, client_id, scope)
);

-- Authorization codes: single use, short-lived, stored as digests.
CREATE TABLE authorization_codes (
    hash TEXT PRIMARY KEY,
    client_id TEXT NOT NULL REFERENCES clients (id),
    identity_id TEXT NOT NULL REFERENCES identities (id),
    redirect_uri TEXT NOT NULL,
    scopes TEXT NOT NULL,
    state TEXT,
    nonce TEXT,
    code_challenge TEXT,
    offline BIGINT NOT NULL CHECK (offline IN (0, 1)),
    family TEXT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT
);

-- A refresh token replaced by rotation; presenting it again is reuse and revokes the grant.
ALTER TABLE tokens ADD COLUMN replaced_at BIGINT;
