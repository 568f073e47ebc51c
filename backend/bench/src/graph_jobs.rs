//! Graphs:
//! - the three SVG charts of a station-year from its CSV (Seattle 2012), ours in this process
//!   against the sample portal's own library, pygal 3.1.3, in the project's venv
//!   (`backend/bench/pygal_charts.py`), CPU and wall time per chart set;
//! - jobs of 20 station-years (Clemson, 20 years each, the three charts of each as SVG and PNG)
//!   end to end through the graph service run as a deployment runs it (`mrdp graph`, its own
//!   process, its own worker): the time from submission to the end and its parts (queued,
//!   reading as the researcher, drawing, writing, sharing), and that process's peak memory.

use crate::code_flow::{CodeFlow, median};
use crate::data_plane::{peak_memory_mib, reset_peak_memory};
use crate::service_process::ServiceProcess;
use crate::stream_watchers::cpu_seconds_of;
use anyhow::{Context, bail};
use mrdp_globus::auth::collection_https_scope;
use mrdp_server::deployment::Deployment;
use mrdp_shared::daily_weather::DailyWeather;
use mrdp_shared::{GraphJob, GraphStage, ServiceName};
use std::path::Path;
use std::time::{Duration, Instant};

/// Chart sets drawn per measurement (ours), and measurements (each side).
const OURS_RUNS: u32 = 200;
const PYGAL_RUNS: u32 = 20;
const REPEATS: usize = 3;
/// The years of each 20-station-year job (different, so that none is a cache hit).
const JOBS: [(i32, i32); 3] = [(1930, 1949), (1950, 1969), (1970, 1989)];

/// Seconds per chart set: (CPU, wall).
fn ours(csv: &str) -> anyhow::Result<(f64, f64)> {
    let cpu = cpu_seconds_of("/proc/thread-self/stat")?;
    let wall = Instant::now();
    let mut bytes = 0;
    for _ in 0..OURS_RUNS {
        let weather = DailyWeather::parse(2012, csv);
        let svgs = mrdp_graph::charts::station_year_svg("SEA", &weather)?;
        bytes += svgs.iter().map(String::len).sum::<usize>();
    }
    if bytes == 0 {
        bail!("no chart was drawn");
    }
    let runs = f64::from(OURS_RUNS);
    let cpu = cpu_seconds_of("/proc/thread-self/stat")? - cpu;
    Ok((cpu / runs, wall.elapsed().as_secs_f64() / runs))
}

/// pygal's seconds per chart set: (CPU, wall), as its script measures them.
fn pygal(workspace: &Path, csv: &Path) -> anyhow::Result<(f64, f64)> {
    let python = workspace.join(".tools/venv/bin/python");
    let output = std::process::Command::new(&python)
        .arg(workspace.join("backend/bench/pygal_charts.py"))
        .arg(csv)
        .args(["2012", &PYGAL_RUNS.to_string()])
        .output()
        .with_context(|| format!("run {} (`make setup` makes it)", python.display()))?;
    if !output.status.success() {
        bail!("pygal: {}", String::from_utf8_lossy(&output.stderr));
    }
    let figures: serde_json::Value = serde_json::from_slice(&output.stdout)?;
    let seconds = |name: &str| figures[name].as_f64().context("pygal's figures");
    Ok((
        seconds("cpu_seconds_per_set")?,
        seconds("wall_seconds_per_set")?,
    ))
}

fn chart_sets(workspace: &Path) -> anyhow::Result<()> {
    let csv_path = workspace.join("data/climate/sea/2012.csv");
    let csv = std::fs::read_to_string(&csv_path)?;
    ours(&csv)?; // warms the font and the allocator
    let (mut our_cpu, mut our_wall, mut py_cpu, mut py_wall) = (vec![], vec![], vec![], vec![]);
    for _ in 0..REPEATS {
        let (cpu, wall) = ours(&csv)?;
        our_cpu.push(cpu * 1000.0);
        our_wall.push(wall * 1000.0);
        let (cpu, wall) = pygal(workspace, &csv_path)?;
        py_cpu.push(cpu * 1000.0);
        py_wall.push(wall * 1000.0);
    }
    let (our_cpu, our_wall) = (median(&mut our_cpu), median(&mut our_wall));
    let (py_cpu, py_wall) = (median(&mut py_cpu), median(&mut py_wall));
    println!(
        "graph three SVG charts of SEA 2012 from its CSV  ours {our_cpu:6.2} ms CPU {our_wall:6.2} ms wall   pygal 3.1.3 {py_cpu:6.2} ms CPU {py_wall:6.2} ms wall   ratio CPU {:.0} wall {:.0} (goal 30)",
        py_cpu / our_cpu,
        py_wall / our_wall
    );
    Ok(())
}

/// When each stage of a job was first seen, from its submission.
#[derive(Debug, Default)]
struct Stages {
    reading: Option<Duration>,
    drawing: Option<Duration>,
    writing: Option<Duration>,
    sharing: Option<Duration>,
    ended: Duration,
}

/// Submits one job to the graph service at `graph` and follows it to its end (polling every
/// 10 ms); when each stage began.
async fn one_job(graph: &str, token: &str, years: (i32, i32)) -> anyhow::Result<Stages> {
    let http = reqwest::Client::new();
    let body = serde_json::json!({"datasets": ["ceu"], "from_year": years.0, "to_year": years.1});
    let started = Instant::now();
    let job: GraphJob = http
        .post(format!("{graph}/api/graphs"))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    let mut stages = Stages::default();
    loop {
        let job: GraphJob = http
            .get(format!("{graph}/api/graphs/{}", job.id))
            .bearer_auth(token)
            .send()
            .await?
            .error_for_status()?
            .json()
            .await?;
        let at = started.elapsed();
        let seen = match job.progress.stage {
            GraphStage::Reading => &mut stages.reading,
            GraphStage::Drawing => &mut stages.drawing,
            GraphStage::Writing => &mut stages.writing,
            GraphStage::Sharing => &mut stages.sharing,
            GraphStage::Waiting | GraphStage::Done => &mut None,
        };
        seen.get_or_insert(at);
        if job.status.finished() {
            if let Some(error) = job.error {
                bail!("the job failed: {error}");
            }
            stages.ended = started.elapsed();
            return Ok(stages);
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

pub async fn print(
    deployment: &Deployment,
    flow: &CodeFlow<'_>,
    (workspace, data_dir): (&Path, &Path),
) -> anyhow::Result<()> {
    chart_sets(workspace)?;
    let graph_client =
        mrdp_idp::bootstrap::read_credentials(&data_dir.join("secrets/clients/graph.toml"))?;
    let graph_scope = mrdp_idp::bootstrap::graph_scope(&graph_client.client_id);
    let catalog = collection_https_scope(&mrdp_server::seed::catalog_id());
    let tokens = flow
        .user_tokens_for(&format!(
            "openid profile email urn:globus:auth:scope:transfer.api.globus.org:all {catalog} {graph_scope}"
        ))
        .await?;
    let token = std::iter::once(&tokens)
        .chain(tokens["other_tokens"].as_array().into_iter().flatten())
        .find(|t| t["resource_server"] == graph_client.client_id.as_str())
        .and_then(|t| t["access_token"].as_str())
        .context("a token for the graph scope")?
        .to_owned();
    let catalog_dir = workspace.join("data/climate");
    let env = [
        ("MRDP_UPSTREAMS__IDP", deployment.url(ServiceName::Idp)),
        (
            "MRDP_UPSTREAMS__TRANSFER",
            deployment.url(ServiceName::Transfer),
        ),
        ("MRDP_UPSTREAMS__DATA", deployment.url(ServiceName::Data)),
        (
            "MRDP_TRANSFER__CATALOG_DIR",
            catalog_dir.to_str().context("a UTF-8 path")?,
        ),
    ];
    let service = ServiceProcess::start_role(data_dir, "graph", &env, "graph")?;
    reset_peak_memory(&service.proc_dir())?;
    let mut totals = Vec::new();
    let mut parts: [Vec<f64>; 5] = Default::default();
    for years in JOBS {
        let stages = one_job(&service.url, &token, years).await?;
        let at = |stage: Option<Duration>| stage.unwrap_or(stages.ended).as_secs_f64();
        let marks = [
            0.0,
            at(stages.reading),
            at(stages.drawing),
            at(stages.writing),
            at(stages.sharing),
            stages.ended.as_secs_f64(),
        ];
        for (part, pair) in parts.iter_mut().zip(marks.windows(2)) {
            part.push(pair[1] - pair[0]);
        }
        totals.push(stages.ended.as_secs_f64());
    }
    let peak = peak_memory_mib(&service.proc_dir()).context("the graph service's memory")?;
    let [queued, reading, drawing, writing, sharing] = parts.map(|mut p| median(&mut p));
    println!(
        "graph job of 20 station-years (60 charts as SVG and PNG, 121 files)  {:6.2} s: queued {queued:.2}, reading {reading:.2}, drawing {drawing:.2}, writing {writing:.2}, sharing {sharing:.2}   graph service peak memory {peak:5.1} MiB (goal < 100)",
        median(&mut totals)
    );
    Ok(())
}
