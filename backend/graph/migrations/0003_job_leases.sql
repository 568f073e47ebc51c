-- Which worker holds a running job's lease (mrdp_service::lease): with lease_until, so that graph
-- workers of several processes on one database never carry out one job at once. Kept when the job
-- ends: who finished it.
ALTER TABLE graph_jobs ADD COLUMN lease_owner TEXT;
