mod gallery;
mod provenance;

use crate::api::{self, ApiFailure};
use crate::components::{ErrorPanel, GraphProgressBar, graph_job_title};
use crate::file_manager_link::{FileManagerLink, PaneAt};
use crate::progress_stream::{self, Progress};
use crate::route::{AppRoute, GRAPH_ID_PARAM};
use gallery::Gallery;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map};
use mrdp_shared::{GraphJob, GraphResult};
use provenance::ProvenanceRecord;

/// One graph job: live progress while it runs; once done, the gallery of its charts, what the
/// data lacked, its provenance, and the ways to its folder; delete.
#[component]
pub fn GraphPage() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get(GRAPH_ID_PARAM).unwrap_or_default()));
    let job = LocalResource::new(move || {
        let id = id.get();
        async move { api::fetch_graph_job(&id).await }
    });
    view! {
        <p class="back"><a href=AppRoute::Graphs.path()>"← All graphs"</a></p>
        <Suspense fallback=|| view! { <p class="loading" role="status">"Loading the graphs…"</p> }>
            {move || Suspend::new(async move {
                match job.await {
                    Ok(job) => view! { <Job job /> }.into_any(),
                    Err(failure) => view! { <h1>"Graphs"</h1><ErrorPanel failure /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Job(job: GraphJob) -> impl IntoView {
    let id = job.id.clone();
    let title = graph_job_title(&job);
    let live = RwSignal::new(job.clone());
    let lost = RwSignal::new(None::<String>);
    if !job.status.finished() {
        let stream =
            progress_stream::follow(
                &api::graph_stream_url(&id),
                move |progress| match progress {
                    Progress::Running(job) | Progress::Ended(job) => live.set(job),
                    Progress::Lost(why) => lost.set(Some(why)),
                },
            );
        let stream = StoredValue::new_local(stream);
        on_cleanup(move || stream.set_value(None));
    }
    let failure = RwSignal::new(None::<ApiFailure>);
    let navigate = use_navigate();
    let delete = {
        let id = id.clone();
        move |_| {
            let sure = window()
                .confirm_with_message("Delete these graphs? Their files are removed unless someone else asked for the same.")
                .unwrap_or(false);
            if !sure {
                return;
            }
            let (id, navigate) = (id.clone(), navigate.clone());
            leptos::task::spawn_local(async move {
                match api::delete_graph_job(&id).await {
                    Ok(()) => navigate(AppRoute::Graphs.path(), Default::default()),
                    Err(refused) => failure.set(Some(refused)),
                }
            });
        }
    };
    view! {
        <h1 data-testid="graph-title" data-job=id.clone()>"Graphs of " {title}</h1>
        {move || live.with(|job| view! { <GraphProgressBar status=job.status progress=job.progress /> })}
        {move || lost.get().map(|why| view! { <p class="error-panel" role="alert">{format!("Live progress stopped: {why}. Reload the page to try again.")}</p> })}
        {move || live.with(|job| job.error.clone()).map(|error| view! { <p class="error-panel" role="alert" data-testid="graph-error">{error}</p> })}
        {move || failure.get().map(|failure| view! { <ErrorPanel failure /> })}
        {move || live.with(|job| job.result.clone()).map(|result| {
            let id = id.clone();
            view! { <Results id result /> }
        })}
        <div class="toolbar">
            {move || live.with(|job| job.status.finished()).then(|| view! { <button type="button" class="danger" data-testid="delete-graphs" on:click=delete.clone()>"Delete"</button> })}
        </div>
    }
}

/// A finished job's results: the ways to its folder, the gallery, the notes, the provenance.
#[component]
fn Results(id: String, result: GraphResult) -> impl IntoView {
    let folder = PaneAt::new(&result.collection, &result.folder);
    let open = FileManagerLink {
        origin: Some(folder.clone()),
        destination: None,
        select: Vec::new(),
    };
    let transfer = FileManagerLink {
        origin: Some(folder),
        destination: None,
        select: result.files.iter().map(|f| f.name.clone()).collect(),
    };
    let links = LocalResource::new({
        let id = id.clone();
        move || {
            let id = id.clone();
            async move { api::fetch_graph_links(&id).await }
        }
    });
    let cached = result.from_cache.then(|| {
        view! { <p class="detail" data-testid="graph-from-cache">"Someone asked for exactly these graphs of the same data before: they were not drawn again."</p> }
    });
    view! {
        <div class="toolbar">
            <a class="button-link" data-testid="open-graphs-in-file-manager" href=open.href()>"Open in file manager"</a>
            <a class="button-link" data-testid="transfer-graphs" href=transfer.href()>"Transfer results"</a>
        </div>
        {cached}
        {(!result.notes.is_empty()).then(|| view! {
            <section class="notes" data-testid="graph-notes">
                <h2>"What the data lacked"</h2>
                <ul>{result.notes.iter().map(|note| view! { <li>{note.clone()}</li> }).collect_view()}</ul>
            </section>
        })}
        <Suspense fallback=|| view! { <p class="loading" role="status">"Loading the charts…"</p> }>
            {move || {
                let result = result.clone();
                Suspend::new(async move {
                    match links.await {
                        Ok(links) => view! {
                            <Gallery charts=result.charts.clone() links=links.links.clone() />
                            <ProvenanceRecord name=result.provenance.clone() links=links.links />
                        }.into_any(),
                        Err(failure) => view! { <ErrorPanel failure /> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}
