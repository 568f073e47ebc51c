-- Sign-ins under way: what the callback must find (single use, short-lived). Keyed by the
-- digest of the state parameter.
CREATE TABLE login_requests (
    state_hash TEXT PRIMARY KEY,
    nonce TEXT NOT NULL,
    code_verifier TEXT NOT NULL,
    next TEXT NOT NULL,
    expires_at BIGINT NOT NULL
);

-- Browser sessions: the cookie carries a random id; only its digest is stored.
CREATE TABLE sessions (
    id_hash TEXT PRIMARY KEY,
    identity_id TEXT NOT NULL,
    username TEXT NOT NULL,
    name TEXT NOT NULL,
    email TEXT,
    created_at BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL
);

-- The token vault: each resource server's tokens, sealed (ChaCha20-Poly1305, base64) and bound to
-- their session and resource server.
CREATE TABLE vault_tokens (
    session_hash TEXT NOT NULL REFERENCES sessions (id_hash) ON DELETE CASCADE,
    resource_server TEXT NOT NULL,
    sealed TEXT NOT NULL,
    PRIMARY KEY (session_hash, resource_server)
);
