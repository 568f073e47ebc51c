use crate::components::{AccessBadge, SelectButton};
use crate::route::dataset_path;
use crate::selection::Selection;
use crate::size::size_text;
use leptos::prelude::*;
use mrdp_shared::DatasetSummary;

/// "2012–2015", or one year.
pub fn years_text(first: i32, last: i32) -> String {
    if first == last {
        first.to_string()
    } else {
        format!("{first}–{last}")
    }
}

/// "1 file", "4 files".
pub fn files_text(count: u64) -> String {
    if count == 1 {
        "1 file".to_owned()
    } else {
        format!("{count} files")
    }
}

/// One search result: what a researcher needs to decide whether to open it.
#[component]
pub fn DatasetCard(dataset: DatasetSummary, selection: Selection) -> impl IntoView {
    let missing = (!dataset.variables_missing.is_empty()).then(|| {
        view! { <li class="missing">"No data: " {dataset.variables_missing.join(", ")}</li> }
    });
    view! {
        <article class="card" data-testid="result" data-id=dataset.id.clone()>
            <header>
                <h2><a href=dataset_path(&dataset.id)>{dataset.title.clone()}</a></h2>
                <SelectButton selection id=dataset.id.clone() title=dataset.title.clone() />
            </header>
            <ul class="facts">
                <li>{dataset.station.name.clone()} " (" {dataset.station.id.clone()} ")"</li>
                <li>{years_text(dataset.first_year, dataset.last_year)}</li>
                <li>{dataset.variables.join(", ")}</li>
                {missing}
                <li>{files_text(dataset.file_count)} ", " {size_text(dataset.bytes)}</li>
                <li><AccessBadge access=dataset.access.clone() /></li>
            </ul>
        </article>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn years_and_files_read_as_words() {
        assert_eq!(years_text(2016, 2016), "2016");
        assert_eq!(years_text(1930, 2020), "1930–2020");
        assert_eq!(files_text(1), "1 file");
        assert_eq!(files_text(91), "91 files");
    }
}
