use crate::api::{self, ApiFailure};
use crate::components::{ErrorPanel, GraphStatusBadge, Pager, graph_job_title};
use crate::route::graph_path;
use crate::search_query::SearchQuery;
use crate::selection::Selection;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use mrdp_shared::{ChartKind, DatasetSummary, GraphJob, GraphRequest, MAX_STATION_YEARS};

/// Asking for graphs: datasets (those in the selection basket start chosen), a year or a range
/// the chosen datasets all cover, the charts; then the researcher's jobs, newest first.
#[component]
pub fn GraphsPage() -> impl IntoView {
    let page = RwSignal::new(1_u32);
    let jobs = LocalResource::new(move || {
        let page = page.get();
        async move { api::fetch_graph_jobs(page).await }
    });
    view! {
        <h1>"Graphs"</h1>
        <p class="lead">"Charts of the daily weather of one or more stations, drawn by the graph service as you, and kept for you alone for seven days."</p>
        <GraphForm />
        <h2>"Your graphs"</h2>
        <Transition fallback=|| view! { <p class="loading" role="status">"Loading your graphs…"</p> }>
            {move || Suspend::new(async move {
                match jobs.await {
                    Ok(found) if found.jobs.is_empty() => view! { <p class="empty" data-testid="no-graph-jobs">"You have asked for no graphs yet."</p> }.into_any(),
                    Ok(found) => {
                        let (current, pages) = (found.paging.page, found.paging.pages());
                        view! {
                            <ul class="tasks" data-testid="graph-jobs">
                                {found.jobs.into_iter().map(|job| view! { <JobRow job /> }).collect_view()}
                            </ul>
                            <Pager page=current pages label="Graph job pages" on_page=Callback::new(move |p| page.set(p)) />
                        }.into_any()
                    }
                    Err(failure) => view! { <ErrorPanel failure /> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// A dataset chosen for graphs: what the form shows of it and the years it covers.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Choice {
    id: String,
    title: String,
    first_year: i32,
    last_year: i32,
}

impl From<&DatasetSummary> for Choice {
    fn from(d: &DatasetSummary) -> Self {
        Self {
            id: d.id.clone(),
            title: d.title.clone(),
            first_year: d.first_year,
            last_year: d.last_year,
        }
    }
}

/// Chooses `choice`, or leaves it out if it was chosen.
fn flip(chosen: RwSignal<Vec<Choice>>, choice: &Choice) {
    chosen.update(|c| {
        if c.contains(choice) {
            c.retain(|d| d != choice);
        } else {
            c.push(choice.clone());
        }
    });
}

/// The years every chosen dataset covers, if they overlap.
fn common_years(chosen: &[Choice]) -> Option<(i32, i32)> {
    let (first, last) = chosen
        .iter()
        .fold((i32::MIN, i32::MAX), |(first, last), d| {
            (first.max(d.first_year), last.min(d.last_year))
        });
    (first <= last && !chosen.is_empty()).then_some((first, last))
}

/// Datasets: those in the selection basket start chosen; a search finds others.
#[component]
fn GraphForm() -> impl IntoView {
    let selection = expect_context::<Selection>();
    let chosen = RwSignal::new(Vec::<Choice>::new());
    let basket = selection.ids();
    leptos::task::spawn_local(async move {
        for id in basket {
            if let Ok(dataset) = api::fetch_dataset(&id).await {
                let choice = Choice {
                    id: dataset.id,
                    title: dataset.title,
                    first_year: dataset.first_year,
                    last_year: dataset.last_year,
                };
                chosen.update(|c| {
                    if !c.contains(&choice) {
                        c.push(choice);
                    }
                });
            }
        }
    });
    let query = RwSignal::new(String::new());
    // The results with the search they answer (results of an earlier keystroke are replaced).
    let found = LocalResource::new(move || {
        let q = query.get();
        async move {
            let sort = q.is_empty().then(|| "title".to_owned());
            let search = SearchQuery {
                q: q.clone(),
                sort,
                page: 1,
                ..SearchQuery::default()
            };
            api::search_datasets(&search).await.map(|found| (q, found))
        }
    });
    let charts = RwSignal::new(ChartKind::STATION_YEAR.to_vec());
    let (from, to) = (RwSignal::new(None::<i32>), RwSignal::new(None::<i32>));
    let failure = RwSignal::new(None::<ApiFailure>);
    let sending = RwSignal::new(false);
    let common = Memo::new(move |_| chosen.with(|c| common_years(c)));
    // Unless typed, the years are the latest the chosen datasets all cover.
    let years = move || {
        common.get().map(|(_, last)| {
            let to = to.get().unwrap_or(last);
            (from.get().unwrap_or(to), to)
        })
    };
    // What is wrong with the years, if anything.
    let years_problem = move || {
        let ((first, last), (from, to)) = (common.get()?, years()?);
        if from > to {
            Some("The first year comes after the last.".to_owned())
        } else if from < first || to > last {
            Some(format!("Choose years within {first}–{last}."))
        } else {
            None
        }
    };
    let station_years = move || {
        years().map_or(0, |(from, to)| {
            chosen.with(Vec::len) * usize::try_from(to - from + 1).unwrap_or(0)
        })
    };
    let ready = move || {
        let count = station_years();
        count > 0
            && count <= MAX_STATION_YEARS
            && years_problem().is_none()
            && !charts.with(Vec::is_empty)
            && !sending.get()
    };
    let navigate = use_navigate();
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let Some((from_year, to_year)) = years() else {
            return;
        };
        let request = GraphRequest {
            datasets: chosen.with_untracked(|c| c.iter().map(|d| d.id.clone()).collect()),
            from_year,
            to_year,
            charts: Some(charts.get_untracked()),
        };
        let navigate = navigate.clone();
        sending.set(true);
        leptos::task::spawn_local(async move {
            match api::submit_graphs(&request).await {
                Ok(job) => navigate(&graph_path(&job.id), Default::default()),
                Err(refused) => {
                    failure.set(Some(refused));
                    sending.set(false);
                }
            }
        });
    };
    let year_input = move |value: RwSignal<Option<i32>>| {
        move |event: leptos::ev::Event| value.set(event_target_value(&event).trim().parse().ok())
    };
    view! {
        <form class="card graph-form" data-testid="graph-form" on:submit=submit>
            <fieldset>
                <legend>"Datasets"</legend>
                <ul class="chosen" data-testid="graph-chosen" aria-label="Chosen datasets">
                    {move || chosen.get().into_iter().map(|choice| {
                        let label = format!("Remove {}", choice.title);
                        let (id, title) = (choice.id.clone(), choice.title.clone());
                        view! {
                            <li data-id=id>
                                {title}
                                <button type="button" class="link" aria-label=label on:click=move |_| flip(chosen, &choice)>"Remove"</button>
                            </li>
                        }
                    }).collect_view()}
                </ul>
                {move || chosen.with(Vec::is_empty).then(|| view! { <p class="detail">"No dataset chosen yet: find some below, or select them in the catalog."</p> })}
                <label class="search-field">"Find datasets "
                    <input type="search" data-testid="graph-search" placeholder="station, place, variable…" on:input=move |ev| query.set(event_target_value(&ev)) />
                </label>
                <Transition fallback=|| view! { <p class="loading" role="status">"Searching…"</p> }>
                    {move || Suspend::new(async move {
                        match found.await {
                            Ok((q, found)) => view! {
                                <ul class="choices" data-testid="graph-found" data-query=q>
                                    {found.results.iter().map(|d| {
                                        let choice = Choice::from(d);
                                        let checked = { let id = d.id.clone(); move || chosen.with(|c| c.iter().any(|x| x.id == id)) };
                                        view! {
                                            <li><label>
                                                <input type="checkbox" data-testid="graph-dataset" value=d.id.clone() prop:checked=checked on:change=move |_| flip(chosen, &choice) />
                                                {d.title.clone()}
                                            </label></li>
                                        }
                                    }).collect_view()}
                                </ul>
                            }.into_any(),
                            Err(failure) => view! { <ErrorPanel failure /> }.into_any(),
                        }
                    })}
                </Transition>
            </fieldset>
            <fieldset>
                <legend>"Years"</legend>
                <p class="detail" data-testid="graph-coverage">{move || match common.get() {
                    Some((first, last)) if first == last => format!("The chosen datasets all cover {first}."),
                    Some((first, last)) => format!("The chosen datasets all cover {first}–{last}."),
                    None if chosen.with(Vec::is_empty) => "Choose at least one dataset.".to_owned(),
                    None => "The chosen datasets cover no year in common.".to_owned(),
                }}</p>
                <label>"From " <input type="number" data-testid="graph-from" min=move || common.get().map(|c| c.0) max=move || common.get().map(|c| c.1)
                    prop:value=move || years().map(|y| y.0.to_string()).unwrap_or_default() on:change=year_input(from) /></label>
                <label>" to " <input type="number" data-testid="graph-to" min=move || common.get().map(|c| c.0) max=move || common.get().map(|c| c.1)
                    prop:value=move || years().map(|y| y.1.to_string()).unwrap_or_default() on:change=year_input(to) /></label>
            </fieldset>
            <fieldset>
                <legend>"Charts"</legend>
                <ul class="choices">
                    {ChartKind::ALL.into_iter().map(|kind| {
                        let checked = move || charts.with(|c| c.contains(&kind));
                        let flip = move |_| charts.update(|c| if c.contains(&kind) { c.retain(|k| *k != kind) } else { c.push(kind) });
                        view! { <li><label><input type="checkbox" data-testid="graph-chart" value=kind.as_str() prop:checked=checked on:change=flip />{kind.label()}</label></li> }
                    }).collect_view()}
                </ul>
            </fieldset>
            <div class="toolbar">
                <button type="submit" data-testid="make-graphs" disabled=move || !ready()>"Make graphs"</button>
                <span class="detail" data-testid="graph-count">{move || match station_years() {
                    _ if years_problem().is_some() => years_problem().unwrap_or_default(),
                    0 => String::new(),
                    n if n > MAX_STATION_YEARS => format!("{n} station-years: a job draws at most {MAX_STATION_YEARS}."),
                    1 => "1 station-year".to_owned(),
                    n => format!("{n} station-years"),
                }}</span>
            </div>
            {move || failure.get().map(|failure| view! { <ErrorPanel failure /> })}
        </form>
    }
}

#[component]
fn JobRow(job: GraphJob) -> impl IntoView {
    let created = job
        .created
        .get(..16)
        .unwrap_or(&job.created)
        .replace('T', " ");
    view! {
        <li class="card task" data-testid="graph-job" data-job=job.id.clone()>
            <header>
                <h3><a href=graph_path(&job.id)>{graph_job_title(&job)}</a></h3>
                <span class="detail">{created}</span>
            </header>
            <GraphStatusBadge status=job.status />
        </li>
    }
}
