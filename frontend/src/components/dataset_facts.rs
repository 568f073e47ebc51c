use super::dataset_card::{files_text, years_text};
use crate::components::AccessBadge;
use crate::size::size_text;
use leptos::prelude::*;
use mrdp_shared::{Coordinates, Dataset};

/// "40.6925° N, 74.1687° W, 2 m".
pub fn coordinates_text(at: &Coordinates) -> String {
    let (ns, we) = (
        if at.latitude >= 0.0 { 'N' } else { 'S' },
        if at.longitude >= 0.0 { 'E' } else { 'W' },
    );
    format!(
        "{:.4}° {ns}, {:.4}° {we}, {} m",
        at.latitude.abs(),
        at.longitude.abs(),
        at.elevation_m
    )
}

/// A dataset's metadata as a description list.
#[component]
pub fn DatasetFacts(dataset: Dataset) -> impl IntoView {
    let station = format!("{} ({})", dataset.station.name, dataset.station.id);
    let place = dataset
        .station
        .coordinates
        .as_ref()
        .map_or_else(|| "Not given by the source".to_owned(), coordinates_text);
    let variables = dataset
        .variables
        .iter()
        .map(|v| view! { <li><code>{v.name.clone()}</code> " " {v.description.clone()} " (" {v.unit.clone()} ")"</li> })
        .collect_view();
    let missing = if dataset.variables_missing.is_empty() {
        "None".to_owned()
    } else {
        format!(
            "{} (empty throughout)",
            dataset.variables_missing.join(", ")
        )
    };
    let years = format!(
        "{}, {} with a file",
        years_text(dataset.first_year, dataset.last_year),
        dataset.years_present.len()
    );
    let files = format!(
        "{}, {}",
        files_text(dataset.file_count),
        size_text(dataset.bytes)
    );
    view! {
        <dl class="facts-list">
            <dt>"Station"</dt><dd>{station}</dd>
            <dt>"Location"</dt><dd>{place}</dd>
            <dt>"Years"</dt><dd>{years}</dd>
            <dt>"Variables"</dt><dd><ul>{variables}</ul></dd>
            <dt>"Missing variables"</dt><dd data-testid="variables-missing">{missing}</dd>
            <dt>"Files"</dt><dd>{files}</dd>
            <dt>"Access"</dt><dd><AccessBadge access=dataset.access /></dd>
            <dt>"Creator"</dt><dd>{dataset.creator}</dd>
            <dt>"Licence"</dt><dd>{dataset.licence}</dd>
            <dt>"Source"</dt><dd>{dataset.source}</dd>
            <dt>"Provenance"</dt><dd>{dataset.provenance}</dd>
        </dl>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coordinates_name_their_hemispheres() {
        let at = Coordinates {
            latitude: 40.6925,
            longitude: -74.168_66,
            elevation_m: 2.0,
            source: String::new(),
        };
        assert_eq!(coordinates_text(&at), "40.6925° N, 74.1687° W, 2 m");
    }
}
