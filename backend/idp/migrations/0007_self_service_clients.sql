-- Apps people register for themselves through Globus Auth's client API: the identity that owns
-- each (NULL: registered by the operator), and when it was deleted (its tokens revoked; its id
-- is never used again).
-- Their names need not be unique, but `name` is: theirs holds the app's id and `display_name` its
-- name.
ALTER TABLE clients ADD COLUMN owner_identity TEXT;
ALTER TABLE clients ADD COLUMN deleted_at BIGINT;
ALTER TABLE clients ADD COLUMN display_name TEXT;

-- The secrets of a confidential app beyond the one it may have been registered with: each made
-- by a `POST /v2/api/clients/{id}/credentials`, kept as SHA-256 (base64url) like the others.
CREATE TABLE client_credentials (
    id TEXT PRIMARY KEY,
    client_id TEXT NOT NULL REFERENCES clients (id),
    name TEXT NOT NULL,
    secret_hash TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX client_credentials_by_client ON client_credentials (client_id);
