//! Transfer task engines of several processes on one PostgreSQL database: 200 small tasks (10
//! files of 4 KiB each, every file synced and renamed into place) queued through the Transfer API
//! of a deployment that runs no engine, then carried out by one `mrdp transfer --worker`, two,
//! three. The throughput of two and three against one, and where the time goes: the wall time
//! and the CPU time of each worker, of PostgreSQL's processes and of this process (the API, and
//! the bench's own polling), against the CPU the machine had in that time.

use crate::code_flow::{CodeFlow, median};
use crate::service_process::ServiceProcess;
use crate::stores::Stores;
use anyhow::{Context, bail};
use mrdp_server::config::Config;
use mrdp_server::deployment::{Deployment, Role};
use mrdp_service::store::{Store, StoreLocation};
use mrdp_service::testing::TestDatabase;
use mrdp_shared::{ServiceName, StoreBackend};
use serde_json::json;
use std::path::Path;
use std::time::{Duration, Instant};

const TASKS: usize = 200;
const FILES: usize = 10;
const SIZE: usize = 4096;
const ROUNDS: usize = 3;

/// The CPU seconds a process has used (`/proc/<pid>/stat`: user and system time).
fn cpu_seconds(proc_dir: &Path) -> f64 {
    let Ok(stat) = std::fs::read_to_string(proc_dir.join("stat")) else {
        return 0.0;
    };
    // After the command name (in parentheses, which may hold spaces): utime and stime are the
    // 12th and 13th fields.
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .map_or("", |(_, rest)| rest)
        .split_whitespace()
        .collect();
    let ticks = |n: usize| {
        fields
            .get(n)
            .and_then(|f| f.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    (ticks(11) + ticks(12)) / 100.0
}

/// The CPU seconds of every PostgreSQL server process now running.
fn postgres_cpu_seconds() -> f64 {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return 0.0;
    };
    entries
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|dir| {
            std::fs::read_to_string(dir.join("comm")).is_ok_and(|name| name.trim() == "postgres")
        })
        .map(|dir| cpu_seconds(&dir))
        .sum()
}

/// One run: its tasks per second and the CPU seconds of each worker, PostgreSQL and this process.
struct Run {
    rate: f64,
    wall: f64,
    workers: Vec<f64>,
    postgres: f64,
    this: f64,
}

/// Where the deployment on PostgreSQL is, and what a run needs of it.
struct Queue<'a> {
    stores: &'a Stores<'a>,
    flow: &'a CodeFlow<'a>,
    transfer: String,
    database_url: &'a str,
}

impl Queue<'_> {
    /// Queues `TASKS` copies of `source`'s folders into `destination` under `round`.
    async fn fill(
        &self,
        token: &str,
        (source, destination): (&str, &str),
        round: &str,
    ) -> anyhow::Result<()> {
        let client = reqwest::Client::new();
        for n in 0..TASKS {
            let body = json!({"DATA_TYPE": "transfer", "source_endpoint": source,
                "destination_endpoint": destination,
                "submission_id": uuid_like(round, n),
                "DATA": [{"DATA_TYPE": "transfer_item", "source_path": format!("/t{n}/"),
                          "destination_path": format!("/{round}/t{n}/"), "recursive": true}]});
            let response = client
                .post(format!("{}/transfer", self.transfer))
                .bearer_auth(token)
                .json(&body)
                .send()
                .await?;
            if !response.status().is_success() {
                bail!("the Transfer API answered {}", response.text().await?);
            }
        }
        Ok(())
    }

    /// Starts `count` workers on the queued tasks and waits until none is active.
    async fn drain(&self, count: usize, store: &Store) -> anyhow::Result<Run> {
        let env = [("MRDP_DATABASE_URL", self.database_url)];
        let mut workers = Vec::new();
        for _ in 0..count {
            workers.push(ServiceProcess::worker(
                self.stores.data_dir,
                "transfer",
                &env,
            )?);
        }
        let (postgres, this) = (postgres_cpu_seconds(), cpu_seconds(Path::new("/proc/self")));
        let started = Instant::now();
        let deadline = started + Duration::from_secs(600);
        loop {
            let active: i64 =
                sqlx::query_scalar("SELECT COUNT(*) FROM tasks WHERE status = 'ACTIVE'")
                    .fetch_one(store.pool())
                    .await?;
            if active == 0 {
                break;
            }
            if Instant::now() > deadline {
                bail!("{active} tasks still active after ten minutes");
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        let wall = started.elapsed().as_secs_f64();
        let failed: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM tasks WHERE status <> 'SUCCEEDED'")
                .fetch_one(store.pool())
                .await?;
        if failed > 0 {
            bail!("{failed} tasks did not succeed");
        }
        Ok(Run {
            rate: TASKS as f64 / wall,
            wall,
            workers: workers.iter().map(|w| cpu_seconds(&w.proc_dir())).collect(),
            postgres: postgres_cpu_seconds() - postgres,
            this: cpu_seconds(Path::new("/proc/self")) - this,
        })
    }
}

/// The disk's own rate of durable small files where the copies go: 4 KiB written to a temporary
/// name, synced, renamed into place and its folder synced (as a task commits each file), from
/// `threads` threads at once, `TASKS * FILES` files in all; files per second.
fn durable_files_per_second(dir: &Path, threads: usize) -> anyhow::Result<f64> {
    use std::io::Write;
    let each = TASKS * FILES / threads;
    let started = Instant::now();
    std::thread::scope(|scope| {
        let runs: Vec<_> = (0..threads)
            .map(|thread| {
                scope.spawn(move || -> std::io::Result<()> {
                    let folder = dir.join(format!("disk-{threads}-{thread}"));
                    std::fs::create_dir_all(&folder)?;
                    let parent = std::fs::File::open(&folder)?;
                    for n in 0..each {
                        let temporary = folder.join(format!(".f{n}.partial"));
                        let mut file = std::fs::File::create(&temporary)?;
                        file.write_all(&[n as u8; SIZE])?;
                        file.sync_all()?;
                        std::fs::rename(&temporary, folder.join(format!("f{n}")))?;
                        parent.sync_all()?;
                    }
                    Ok(())
                })
            })
            .collect();
        runs.into_iter().try_for_each(|run| {
            run.join()
                .unwrap_or_else(|_| Err(std::io::ErrorKind::Other.into()))
        })
    })?;
    Ok((each * threads) as f64 / started.elapsed().as_secs_f64())
}

/// A submission id of its own for task `n` of `round` (a UUID's shape, as the API wants).
fn uuid_like(round: &str, n: usize) -> String {
    let digest = round
        .bytes()
        .fold(0_u64, |hash, byte| hash.wrapping_mul(31) ^ u64::from(byte));
    format!("{:08x}-0000-4000-8000-{:012x}", digest as u32, n)
}

/// Writes the tasks' folders: `t<n>/f<i>.bin`, 4 KiB of distinct content each.
fn write_sources(root: &Path) -> anyhow::Result<()> {
    for n in 0..TASKS {
        let dir = root.join(format!("t{n}"));
        std::fs::create_dir_all(&dir)?;
        for i in 0..FILES {
            let content: Vec<u8> = (0..SIZE).map(|b| (b ^ n ^ (i << 3)) as u8).collect();
            std::fs::write(dir.join(format!("f{i}.bin")), content)?;
        }
    }
    Ok(())
}

/// A deployment on a throwaway PostgreSQL database whose transfer service runs no engine, and
/// the runs against it.
pub async fn run(web_app: &Path) -> anyhow::Result<()> {
    let database = TestDatabase::create(StoreBackend::Postgres).await;
    let data = tempfile::tempdir().context("a data directory")?;
    let database_url = match database.location() {
        StoreLocation::Postgres(url) => url.clone(),
        StoreLocation::Sqlite { .. } => bail!("a PostgreSQL database"),
    };
    let mut config = Config::for_tests(data.path(), web_app, Some(database_url.clone()));
    config.transfer.engine = false;
    let deployment = Deployment::start(&config, Role::All).await?;
    let alice = crate::stores::first_demo_user(&deployment)?;
    let portal_client =
        mrdp_idp::bootstrap::read_credentials(&data.path().join("secrets/clients/portal.toml"))?;
    let callback = format!("{}/api/auth/callback", deployment.url(ServiceName::Portal));
    let flow = CodeFlow {
        idp: deployment.url(ServiceName::Idp),
        callback: &callback,
        client: &portal_client,
        username: &alice.username,
        password: &alice.password,
    };
    let stores = Stores {
        transfer: Store::connect(database.location(), "transfer").await?,
        idp: Store::connect(database.location(), "idp").await?,
        data_dir: data.path(),
    };
    let queue = Queue {
        stores: &stores,
        flow: &flow,
        transfer: format!("{}/v0.10", deployment.url(ServiceName::Transfer)),
        database_url: database_url.expose(),
    };
    let measured = print(&queue).await;
    stores.transfer.close().await;
    stores.idp.close().await;
    deployment.stop().await;
    database.remove().await;
    measured
}

async fn print(queue: &Queue<'_>) -> anyhow::Result<()> {
    let (source, source_dir) = queue
        .stores
        .collection("bench-workers-source", queue.flow)
        .await?;
    let (destination, _) = queue
        .stores
        .collection("bench-workers-destination", queue.flow)
        .await?;
    write_sources(&source_dir)?;
    let token = queue
        .flow
        .client_token(mrdp_globus::transfer::TRANSFER_SCOPE)
        .await?;
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    let mut rates: [Vec<f64>; 3] = Default::default();
    for round in 0..ROUNDS {
        for count in 1..=3 {
            let name = format!("r{round}w{count}");
            queue.fill(&token, (&source, &destination), &name).await?;
            let run = queue.drain(count, &queue.stores.transfer).await?;
            rates[count - 1].push(run.rate);
            let workers: Vec<String> = run.workers.iter().map(|s| format!("{s:.2}")).collect();
            let cpu = run.workers.iter().sum::<f64>() + run.postgres + run.this;
            println!(
                "work {count} worker(s), round {round}: {:6.1} tasks/s in {:5.2} s; CPU s: workers [{}], PostgreSQL {:.2}, API and bench {:.2}; {:.0}% of {cores} cores",
                run.rate,
                run.wall,
                workers.join(", "),
                run.postgres,
                run.this,
                100.0 * cpu / (run.wall * cores as f64),
            );
        }
    }
    let [one, two, three] = rates.map(|mut runs| median(&mut runs));
    let disk = queue.stores.data_dir.join("disk");
    let (alone, together) = (
        durable_files_per_second(&disk, 1)?,
        durable_files_per_second(&disk, 2)?,
    );
    println!(
        "work the disk alone: 4 KiB files written, synced, renamed and their folder synced {alone:6.0}/s from one thread, {together:6.0}/s from two; the workers' files {:6.0}/s with one worker",
        one * FILES as f64
    );
    println!(
        "work {TASKS} tasks of {FILES} x 4 KiB: 1 worker {one:6.1} tasks/s   2 workers {two:6.1}   ratio {:.2} (goal 1.5)   3 workers {three:6.1}   ratio {:.2}",
        two / one,
        three / one
    );
    Ok(())
}
