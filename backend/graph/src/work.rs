//! One job, carried out: read the inputs as the researcher, answer from the cache when an
//! identical request was answered before, otherwise draw the charts, write them and the
//! provenance to the job's folder as the service, and open the folder to the researcher.

use crate::catalog::{Catalog, Plan};
use crate::delegation::Delegation;
use crate::drawing::{self, Drawn};
use crate::jobs::{self, JobRow};
use crate::provenance::{Output, Provenance, sha256_hex};
use crate::results::{ResultFile, folder_of};
use crate::service::GraphService;
use mrdp_globus::dates::iso_time;
use mrdp_shared::daily_weather::DailyWeather;
use mrdp_shared::{
    ChartKind, GraphChart, GraphFile, GraphProgress, GraphRequest, GraphResult, GraphStage,
};
use serde_json::json;

/// The software's version, part of what makes two requests identical.
const VERSION: &str = env!("CARGO_PKG_VERSION");
const CRATE_FILE: &str = "ro-crate-metadata.json";

/// How many charts `plan` draws.
pub fn chart_count(plan: &Plan) -> usize {
    let per_year = ChartKind::STATION_YEAR
        .iter()
        .filter(|kind| plan.charts.contains(kind))
        .count();
    let mut stations: Vec<&str> = plan.inputs.iter().map(|i| i.station.as_str()).collect();
    stations.dedup();
    let mut count = per_year * plan.inputs.len();
    if plan.charts.contains(&ChartKind::Trend) {
        count += stations.len();
    }
    if plan.charts.contains(&ChartKind::Comparison) {
        count += crate::charts::COMPARED;
    }
    count
}

/// The steps of a job: read each input, draw each chart, write each file (two per chart and
/// the provenance), share the folder.
pub fn steps(plan: &Plan) -> u32 {
    let charts = chart_count(plan);
    u32::try_from(plan.inputs.len() + charts + 2 * charts + 1 + 1).unwrap_or(u32::MAX)
}

/// What makes two requests identical: the software, the parameters, and every input by checksum.
fn cache_key(request: &GraphRequest, plan: &Plan, inputs: &[crate::inputs::Read]) -> String {
    let key = json!({
        "software": VERSION,
        "datasets": request.datasets,
        "from_year": request.from_year,
        "to_year": request.to_year,
        "charts": plan.charts,
        "inputs": inputs.iter().map(|read| &read.input.sha256).collect::<Vec<_>>(),
    });
    sha256_hex(key.to_string().as_bytes())
}

/// Why a job stops that this worker no longer holds (its lease ran out and another worker took
/// it): nothing is recorded, the job is the other's.
const LEASE_LOST: &str = "the job's lease was lost";

/// A job's progress as it goes, recorded in the store while this worker holds the job.
struct Tracker<'a> {
    service: &'a GraphService,
    id: &'a str,
    progress: GraphProgress,
}

impl Tracker<'_> {
    async fn step(&mut self, stage: GraphStage, steps: usize) -> Result<(), String> {
        self.progress.stage = stage;
        let steps = u32::try_from(steps).unwrap_or(u32::MAX);
        self.progress.done = (self.progress.done + steps).min(self.progress.total);
        let service = self.service;
        let held = (self.id, &*service.worker);
        let now = service.clock.now();
        match jobs::advance(&service.store, held, self.progress, now).await {
            Ok(true) => Ok(()),
            Ok(false) => Err(LEASE_LOST.to_owned()),
            Err(error) => Err(store_failed(error)),
        }
    }
}

fn store_failed(error: sqlx::Error) -> String {
    tracing::error!(%error, "the graph store failed");
    "the graph service's store failed".to_owned()
}

impl GraphService {
    /// Carries out the job (claimed by this worker) to its end, succeeded or failed.
    pub(crate) async fn carry_out(&self, job: &JobRow) -> Result<(), sqlx::Error> {
        let outcome = self.attempt(job).await;
        let now = self.clock.now();
        let held = (job.id.as_str(), &*self.worker);
        let ended = match &outcome {
            Ok((result, progress)) => {
                jobs::finish(&self.store, held, Ok((result, *progress)), now).await?
            }
            Err(why) => jobs::finish(&self.store, held, Err(why), now).await?,
        };
        match &outcome {
            _ if !ended => {
                tracing::warn!(job = %job.id, "graph job left to the worker that took it over");
            }
            Ok((result, _)) => {
                tracing::info!(job = %job.id, from_cache = result.from_cache, "graph job succeeded");
            }
            Err(why) => tracing::info!(job = %job.id, reason = %why, "graph job failed"),
        }
        Ok(())
    }

    async fn attempt(&self, job: &JobRow) -> Result<(GraphResult, GraphProgress), String> {
        let started = iso_time(self.clock.now());
        let request = job
            .request()
            .map_err(|e| format!("the job's request does not read: {e}"))?;
        let plan = plan(&self.settings.catalog, &request)?;
        let sealed = job
            .delegation
            .as_deref()
            .ok_or("the job holds no permission to read")?;
        let delegation = Delegation::open(self, &job.id, sealed).map_err(|e| e.to_string())?;
        let mut tracker = Tracker {
            service: self,
            id: &job.id,
            progress: GraphProgress {
                done: 0,
                total: steps(&plan),
                stage: GraphStage::Reading,
            },
        };
        let server = self.catalog_server(&delegation).await.map_err(|e| e.0)?;
        let mut inputs = Vec::new();
        for input in &plan.inputs {
            inputs.push(
                self.read((&server, &delegation), input)
                    .await
                    .map_err(|e| e.0)?,
            );
            tracker.step(GraphStage::Reading, 1).await?;
        }
        let key = cache_key(&request, &plan, &inputs);
        jobs::inputs_read(&self.store, &job.id, &key)
            .await
            .map_err(store_failed)?;
        if let Some((folder, result)) = jobs::cached(&self.store, &key, self.clock.now())
            .await
            .map_err(store_failed)?
            && let Ok(mut result) = serde_json::from_str::<GraphResult>(&result)
        {
            self.share(job, &folder).await?;
            result.from_cache = true;
            tracker.progress.done = tracker.progress.total;
            tracker.progress.stage = GraphStage::Done;
            return Ok((result, tracker.progress));
        }
        let weather: Vec<DailyWeather> = plan
            .inputs
            .iter()
            .zip(&inputs)
            .map(|(input, read)| DailyWeather::parse(input.year, &read.text))
            .collect();
        let drawing = std::time::Instant::now();
        let drawn = self.draw(&plan, &weather, &mut tracker).await?;
        self.rendering.0.observe(drawing.elapsed().as_secs_f64());
        let folder = folder_of(&job.id);
        let provenance = Provenance {
            job: job.id.clone(),
            description: describe(&request),
            parameters: vec![
                ("datasets", json!(request.datasets)),
                ("from_year", json!(request.from_year)),
                ("to_year", json!(request.to_year)),
                ("charts", json!(plan.charts)),
            ],
            inputs: inputs.into_iter().map(|read| read.input).collect(),
            outputs: outputs(&drawn),
            started,
            ended: iso_time(self.clock.now()),
        };
        let crate_json = serde_json::to_vec_pretty(&provenance.ro_crate()).unwrap_or_default();
        let files = self
            .write(&folder, &drawn, &crate_json, &mut tracker)
            .await?;
        tracker.step(GraphStage::Sharing, 0).await?;
        self.share(job, &folder).await?;
        tracker.step(GraphStage::Done, 1).await?;
        let result = GraphResult {
            collection: self.settings.results_collection.clone(),
            folder,
            charts: drawn.iter().map(chart_of).collect(),
            provenance: CRATE_FILE.to_owned(),
            files,
            notes: drawing::notes(&plan, &weather),
            from_cache: false,
        };
        Ok((result, tracker.progress))
    }

    /// Draws every chart of `plan`, station-year by station-year, off the async threads.
    async fn draw(
        &self,
        plan: &Plan,
        weather: &[DailyWeather],
        tracker: &mut Tracker<'_>,
    ) -> Result<Vec<Drawn>, String> {
        let mut drawn = Vec::new();
        for (index, year) in weather.iter().enumerate() {
            let (plan_one, weather_one) = (plan.clone(), year.clone());
            let charts = tokio::task::spawn_blocking(move || {
                drawing::draw_station_year(&plan_one, index, &weather_one)
            })
            .await
            .map_err(|e| format!("drawing failed: {e}"))?
            .map_err(|e| e.to_string())?;
            tracker.step(GraphStage::Drawing, charts.len()).await?;
            drawn.extend(charts);
        }
        let (plan_all, weather_all) = (plan.clone(), weather.to_vec());
        let across =
            tokio::task::spawn_blocking(move || drawing::draw_across(&plan_all, &weather_all))
                .await
                .map_err(|e| format!("drawing failed: {e}"))?
                .map_err(|e| e.to_string())?;
        tracker.step(GraphStage::Drawing, across.len()).await?;
        drawn.extend(across);
        Ok(drawn)
    }

    /// Uploads every chart (SVG and PNG) and the provenance to `folder`; the files' facts.
    async fn write(
        &self,
        folder: &str,
        drawn: &[Drawn],
        crate_json: &[u8],
        tracker: &mut Tracker<'_>,
    ) -> Result<Vec<GraphFile>, String> {
        let url = self
            .results_folder(folder)
            .await
            .map_err(|e| e.to_string())?;
        let mut files = Vec::new();
        let svgs = drawn
            .iter()
            .map(|d| (format!("{}.svg", d.chart.name), SVG, d.chart.svg.as_bytes()));
        let pngs = drawn
            .iter()
            .map(|d| (format!("{}.png", d.chart.name), PNG, d.chart.png.as_slice()));
        let all = svgs.chain(pngs).chain(std::iter::once((
            CRATE_FILE.to_owned(),
            JSON_LD,
            crate_json,
        )));
        for (name, media_type, bytes) in all {
            let file = ResultFile {
                name: &name,
                media_type,
                bytes,
            };
            self.upload(&url, &file).await.map_err(|e| e.to_string())?;
            tracker.step(GraphStage::Writing, 1).await?;
            files.push(GraphFile {
                name,
                media_type: media_type.to_owned(),
                size: bytes.len() as u64,
                sha256: sha256_hex(bytes),
            });
        }
        Ok(files)
    }

    /// Opens `folder` to the job's owner and records it with the job.
    async fn share(&self, job: &JobRow, folder: &str) -> Result<(), String> {
        let rule = self
            .share_with(&job.owner, folder)
            .await
            .map_err(|e| e.to_string())?;
        jobs::shared(&self.store, &job.id, (folder, &rule))
            .await
            .map_err(store_failed)
    }
}

const SVG: &str = "image/svg+xml";
const PNG: &str = "image/png";
const JSON_LD: &str = "application/ld+json";

/// The plan of a stored request; a request the catalog no longer allows fails with its reason.
fn plan(catalog: &Catalog, request: &GraphRequest) -> Result<Plan, String> {
    catalog.plan(request).map_err(|refusal| refusal.0)
}

fn describe(request: &GraphRequest) -> String {
    let years = if request.from_year == request.to_year {
        request.from_year.to_string()
    } else {
        format!("{}–{}", request.from_year, request.to_year)
    };
    format!(
        "Charts of the daily weather of {} for {years}",
        request.datasets.join(", ")
    )
}

fn outputs(drawn: &[Drawn]) -> Vec<Output<'_>> {
    drawn
        .iter()
        .flat_map(|d| {
            [
                Output {
                    name: format!("{}.svg", d.chart.name),
                    media_type: SVG,
                    bytes: d.chart.svg.as_bytes(),
                },
                Output {
                    name: format!("{}.png", d.chart.name),
                    media_type: PNG,
                    bytes: &d.chart.png,
                },
            ]
        })
        .collect()
}

fn chart_of(drawn: &Drawn) -> GraphChart {
    GraphChart {
        name: drawn.chart.name.clone(),
        kind: drawn.kind,
        title: drawn.chart.title.clone(),
        svg: format!("{}.svg", drawn.chart.name),
        png: format!("{}.png", drawn.chart.name),
    }
}
