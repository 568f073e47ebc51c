-- A researcher's submissions made with an `Idempotency-Key`: the submission id the portal got
-- from the transfer service for that key, and the request it was for, so that a retry of the same
-- request submits with the same id (one task, never two) and the same key with another request
-- is refused.
CREATE TABLE transfer_submissions (
    identity_id TEXT NOT NULL,
    idempotency_key TEXT NOT NULL,
    request TEXT NOT NULL,
    submission_id TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (identity_id, idempotency_key)
);
