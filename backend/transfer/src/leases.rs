//! Which engine carries out which task: a lease in the task's row
//! ([`mrdp_service::lease`]). Only the holder may end the task; an engine that stops renewing
//! (killed) loses the task when the lease runs out, and another takes it up after its last
//! settled file. On SQLite only one process uses the store, so a starting engine takes back every
//! lease left by the process before it.

use mrdp_service::lease::LeasedRows;

/// The transfer store's leased work: its active tasks, oldest request first.
pub const TASKS: LeasedRows = LeasedRows {
    table: "tasks",
    unfinished: "status = 'ACTIVE'",
    oldest_first: "request_time, id",
    on_claim: "",
};
