use crate::api::{self, ApiFailure};
use crate::components::{CitationBox, DatasetFacts, ErrorPanel, SelectButton};
use crate::route::{AppRoute, DATASET_ID_PARAM};
use crate::selection::Selection;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use mrdp_shared::{Dataset, ErrorCode};

mod files;
mod preview;

use files::FilesSection;
use preview::PreviewSection;

/// A dataset's landing page: metadata, citation, preview and files.
#[component]
pub fn DatasetPage() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get(DATASET_ID_PARAM).unwrap_or_default()));
    let dataset = LocalResource::new(move || {
        let id = id.get();
        async move { api::fetch_dataset(&id).await }
    });
    view! {
        <Suspense fallback=|| view! { <p class="loading" role="status" data-testid="dataset-loading">"Loading the dataset…"</p> }>
            {move || Suspend::new(async move {
                match dataset.await {
                    Ok(dataset) => view! { <Landing dataset /> }.into_any(),
                    Err(failure) => view! { <Missing failure /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Landing(dataset: Dataset) -> impl IntoView {
    let selection = expect_context::<Selection>();
    let id = dataset.id.clone();
    view! {
        <p class="back"><a href=AppRoute::Datasets.path()>"← All datasets"</a></p>
        <div class="title-row">
            <h1 data-testid="dataset-title">{dataset.title.clone()}</h1>
            <SelectButton selection id=id.clone() title=dataset.title.clone() />
        </div>
        <p class="description">{dataset.description.clone()}</p>
        <PreviewSection id=id.clone() years=dataset.years_present.clone() variables_missing=dataset.variables_missing.clone() />
        <div class="landing-columns">
            <section aria-labelledby="about-heading">
                <h2 id="about-heading">"About this dataset"</h2>
                <DatasetFacts dataset=dataset.clone() />
            </section>
            <CitationBox citation=dataset.citation />
        </div>
        <FilesSection id />
    }
}

/// An unknown dataset (or one the researcher may not see: the portal answers the same) says so
/// and leads back to the search; any other failure says what happened.
#[component]
fn Missing(failure: ApiFailure) -> impl IntoView {
    let not_found =
        matches!(&failure, ApiFailure::Api { error, .. } if error.code == ErrorCode::NotFound);
    if not_found {
        view! {
            <h1>"Dataset not found"</h1>
            <div class="error-panel" role="alert" data-testid="dataset-not-found">
                <p>"There is no dataset at this address that you may see. It may have been removed, or be shared with a group you are not in."</p>
                <p><a href=AppRoute::Datasets.path()>"Search the datasets"</a></p>
            </div>
        }
        .into_any()
    } else {
        view! { <h1>"Dataset"</h1><ErrorPanel failure /> }.into_any()
    }
}
