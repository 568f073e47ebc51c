use crate::api;
use crate::components::{DatasetCard, ErrorPanel, FacetList, Pager, TransferSelection};
use crate::route::AppRoute;
use crate::search_query::{Facet, SearchQuery};
use crate::selection::Selection;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use mrdp_shared::DatasetSearch;

/// The parameters the page reads from its URL.
const KEYS: [&str; 8] = [
    "q", "station", "variable", "from", "to", "access", "sort", "page",
];

/// The orders a researcher can choose: (value, words).
/// The empty value leaves the order to the portal: best match with words, title without.
const SORTS: [(&str, &str); 3] = [
    ("", "Best match"),
    ("title", "Title A–Z"),
    ("coverage", "Most years first"),
];

/// The catalog's search: words, facets with counts, years, sort and pages, all held in the URL.
#[component]
pub fn DatasetsPage() -> impl IntoView {
    let selection = expect_context::<Selection>();
    let url = use_query_map();
    let query = Memo::new(move |_| {
        url.with(|map| {
            let values: Vec<(&str, String)> = KEYS
                .iter()
                .flat_map(|&key| {
                    map.get_all(key)
                        .unwrap_or_default()
                        .into_iter()
                        .map(move |v| (key, v))
                })
                .collect();
            SearchQuery::from_pairs(values.iter().map(|(k, v)| (*k, v.as_str())))
        })
    });
    let navigate = use_navigate();
    let go = Callback::new(move |next: SearchQuery| {
        let text = next.to_query_string();
        let path = AppRoute::Datasets.path();
        let href = if text.is_empty() {
            path.to_owned()
        } else {
            format!("{path}?{text}")
        };
        navigate(&href, Default::default());
    });
    let found = LocalResource::new(move || {
        let query = query.get();
        async move { api::search_datasets(&query).await }
    });
    view! {
        <div class="title-row">
            <h1>"Datasets"</h1>
            <TransferSelection selection />
        </div>
        <SearchForm query go />
        <Suspense fallback=|| view! { <p class="loading" role="status" data-testid="datasets-loading">"Searching the catalog…"</p> }>
            {move || Suspend::new(async move {
                match found.await {
                    Ok(found) => view! { <Results found query=query.get_untracked() selection go /> }.into_any(),
                    Err(failure) => view! { <ErrorPanel failure /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// Words, years and order; submitting starts again on the first page.
#[component]
fn SearchForm(query: Memo<SearchQuery>, go: Callback<SearchQuery>) -> impl IntoView {
    let (words, from, to) = (
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
    );
    // The fields follow the URL (Back, a shared link).
    Effect::new(move |_| {
        let query = query.get();
        words.set(query.q.clone());
        from.set(query.from.map(|y| y.to_string()).unwrap_or_default());
        to.set(query.to.map(|y| y.to_string()).unwrap_or_default());
    });
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let mut next = query.get_untracked().on_page(1);
        next.q = words.get_untracked().trim().to_owned();
        next.from = from.get_untracked().trim().parse().ok();
        next.to = to.get_untracked().trim().parse().ok();
        go.run(next);
    };
    let sort = move |event: leptos::ev::Event| {
        let value = event_target_value(&event);
        let mut next = query.get_untracked().on_page(1);
        next.sort = (!value.is_empty()).then_some(value);
        go.run(next);
    };
    let current_sort = move || query.with(|q| q.sort.clone().unwrap_or_default());
    view! {
        <form class="search" role="search" on:submit=submit>
            <label for="search-words">"Search datasets"</label>
            <div class="search-row">
                <input type="search" id="search-words" data-testid="search-words" placeholder="Station, place, variable…"
                    prop:value=move || words.get() on:input=move |ev| words.set(event_target_value(&ev)) />
                <button type="submit" data-testid="search-submit">"Search"</button>
            </div>
            <div class="search-row options">
                <label for="year-from">"From year"</label>
                <input type="number" id="year-from" data-testid="year-from" inputmode="numeric" min="1700" max="2100"
                    prop:value=move || from.get() on:input=move |ev| from.set(event_target_value(&ev)) />
                <label for="year-to">"to"</label>
                <input type="number" id="year-to" data-testid="year-to" inputmode="numeric" min="1700" max="2100"
                    prop:value=move || to.get() on:input=move |ev| to.set(event_target_value(&ev)) />
                <label for="sort">"Sort by"</label>
                <select id="sort" data-testid="sort" on:change=sort>
                    {SORTS.iter().map(|&(value, words)| view! { <option value=value selected=move || current_sort() == value>{words}</option> }).collect_view()}
                </select>
            </div>
        </form>
    }
}

/// The facets beside a page of results and its pager.
#[component]
fn Results(
    found: DatasetSearch,
    query: SearchQuery,
    selection: Selection,
    go: Callback<SearchQuery>,
) -> impl IntoView {
    let pages = found.paging.pages();
    let summary = match found.paging.total.unwrap_or_default() {
        0 => "No dataset matches this search.".to_owned(),
        1 => "1 dataset".to_owned(),
        n => format!("{n} datasets"),
    };
    let facets = [
        (Facet::Station, found.facets.station),
        (Facet::Variable, found.facets.variable),
        (Facet::Access, found.facets.access),
    ]
    .into_iter()
    .map(|(facet, counts)| view! { <FacetList facet counts query=query.clone() /> })
    .collect_view();
    let cards = if found.results.is_empty() {
        view! {
            <div class="empty" data-testid="datasets-empty">
                <p>"Try fewer words, or take a filter off."</p>
                <p><a href=AppRoute::Datasets.path()>"Show every dataset"</a></p>
            </div>
        }
        .into_any()
    } else {
        found
            .results
            .into_iter()
            .map(|dataset| view! { <DatasetCard dataset selection /> })
            .collect_view()
            .into_any()
    };
    let page_query = query.clone();
    let shown_query = query.to_query_string();
    let on_page = Callback::new(move |page| go.run(page_query.on_page(page)));
    view! {
        <div class="results-layout">
            <aside class="facets" aria-label="Filters">{facets}</aside>
            <section class="results" aria-label="Results">
                <p class="summary" role="status" data-testid="result-count" data-query=shown_query>{summary}</p>
                {cards}
                <Pager page=query.page pages label="Result pages" on_page />
            </section>
        </div>
    }
}
