-- Tasks: what was submitted (the request document, as JSON), where it stands, and what it did.
-- A task is ACTIVE until it SUCCEEDED or FAILED; `done_items` counts the submitted items already
-- carried out, in order, so that a restarted service resumes where it stopped.
CREATE TABLE tasks (
    id TEXT PRIMARY KEY,
    submission_id TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL CHECK (kind IN ('TRANSFER', 'DELETE')),
    owner_id TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('ACTIVE', 'SUCCEEDED', 'FAILED')),
    label TEXT,
    source_endpoint TEXT NOT NULL,
    destination_endpoint TEXT,
    request TEXT NOT NULL,
    request_time BIGINT NOT NULL,
    completion_time BIGINT,
    items BIGINT NOT NULL,
    done_items BIGINT NOT NULL DEFAULT 0,
    failed_items BIGINT NOT NULL DEFAULT 0,
    faults BIGINT NOT NULL DEFAULT 0,
    cancel_requested BIGINT NOT NULL DEFAULT 0 CHECK (cancel_requested IN (0, 1)),
    fatal_error_code TEXT,
    fatal_error_description TEXT
);
CREATE INDEX tasks_by_owner ON tasks (owner_id, request_time);
CREATE INDEX tasks_by_status ON tasks (status);

-- What happened to a task, in order.
CREATE TABLE task_events (
    task_id TEXT NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    seq BIGINT NOT NULL,
    code TEXT NOT NULL,
    description TEXT NOT NULL,
    details TEXT NOT NULL,
    is_error BIGINT NOT NULL CHECK (is_error IN (0, 1)),
    time BIGINT NOT NULL,
    PRIMARY KEY (task_id, seq)
);
