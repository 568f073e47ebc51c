//! The transfer crate's tests over its store and over real HTTP (one test binary).

#![expect(clippy::unwrap_used, reason = "a failed step fails the test")]

mod collections;
mod connections;
mod copies;
mod crash_gaps;
mod data_server;
mod fixture;
mod leases;
mod links;
mod names;
mod object_store;
mod operations;
mod progress;
mod sharing;
mod signed_urls;
mod small_responses;
mod storage;
mod stored_vocabulary;
mod task_options;
mod task_pages;
mod tasks;
mod temporary_files;
mod visibility;
mod withdrawn;
