-- What a researcher submitted through the portal, by the task it made: "transfer again" submits
-- the same request anew. Only its owner reads it back.
CREATE TABLE transfer_requests (
    task_id TEXT PRIMARY KEY,
    identity_id TEXT NOT NULL,
    request TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
