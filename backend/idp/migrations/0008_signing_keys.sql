-- The signing keys, kept in the store so that every replica on one database signs with the same
-- key and publishes the same JWKS (a key rotated through one is used by all). The private key is
-- sealed (ChaCha20-Poly1305, <data_dir>/secrets/idp-key-seal.key, bound to its kid); n and e are
-- its public key as the JWKS writes it. The newest key not retired signs; retired keys stay
-- published a while, for the id tokens they signed.
CREATE TABLE signing_keys (
    kid TEXT PRIMARY KEY,
    sealed_key TEXT NOT NULL,
    public_n TEXT NOT NULL,
    public_e TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    retired_at BIGINT
);
