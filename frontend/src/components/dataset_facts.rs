use super::dataset_card::{files_text, years_text};
use crate::components::AccessBadge;
use crate::size::size_text;
use leptos::prelude::*;
use mrdp_shared::{Coordinates, Dataset};

/// `value`'s magnitude with `places` decimals, rounded, in whole-number arithmetic (the web app
/// carries no floating-point formatting code).
fn magnitude_text(value: f64, places: u32) -> String {
    let scale = 10_u64.pow(places);
    let scaled = (value.abs() * scale as f64).round() as u64;
    let width = places as usize;
    format!("{}.{:0width$}", scaled / scale, scaled % scale)
}

/// "40.6925° N, 74.1687° W, 5.5 m".
pub fn coordinates_text(at: &Coordinates) -> String {
    let (ns, we) = (
        if at.latitude >= 0.0 { 'N' } else { 'S' },
        if at.longitude >= 0.0 { 'E' } else { 'W' },
    );
    let below = if at.elevation_m < 0.0 { "-" } else { "" };
    format!(
        "{}° {ns}, {}° {we}, {below}{} m",
        magnitude_text(at.latitude, 4),
        magnitude_text(at.longitude, 4),
        magnitude_text(at.elevation_m, 1)
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
            elevation_m: 5.5,
            source: String::new(),
        };
        assert_eq!(coordinates_text(&at), "40.6925° N, 74.1687° W, 5.5 m");
        let south = Coordinates {
            latitude: -33.946_1,
            longitude: 151.177_2,
            elevation_m: -2.0,
            source: String::new(),
        };
        assert_eq!(coordinates_text(&south), "33.9461° S, 151.1772° E, -2.0 m");
    }
}
