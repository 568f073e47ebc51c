-- Graph jobs: who asked (the identity of the token, never a field of the request), what, how far
-- it is, and what it made. `delegation` holds the researcher's dependent tokens, sealed, only until
-- the inputs are read. `cache_key` (inputs by checksum, parameters, software version) lets an
-- identical request be answered from an earlier job's folder. A job is claimed under a lease, so
-- that a job whose worker stopped is taken up again.
CREATE TABLE graph_jobs (
    id TEXT PRIMARY KEY,
    owner TEXT NOT NULL,
    status TEXT NOT NULL,
    request TEXT NOT NULL,
    progress TEXT NOT NULL,
    delegation TEXT,
    cache_key TEXT,
    folder TEXT,
    rule_id TEXT,
    result TEXT,
    error TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    lease_until BIGINT NOT NULL DEFAULT 0
);

CREATE INDEX graph_jobs_by_owner ON graph_jobs (owner, created_at);
CREATE INDEX graph_jobs_by_cache_key ON graph_jobs (cache_key);
CREATE INDEX graph_jobs_by_status ON graph_jobs (status, lease_until);
