use crate::route::AppRoute;
use crate::search_query::{Facet, SearchQuery};
use leptos::prelude::*;
use mrdp_shared::FacetCount;

/// The link that toggles a facet's value in the search.
pub fn facet_href(query: &SearchQuery, facet: Facet, value: &str) -> String {
    let next = query.toggled(facet, value);
    format!("{}?{}", AppRoute::Datasets.path(), next.to_query_string())
}

/// A facet's values with their counts, each a link that adds it to the search or takes it out.
#[component]
pub fn FacetList(facet: Facet, counts: Vec<FacetCount>, query: SearchQuery) -> impl IntoView {
    let items = counts
        .into_iter()
        .map(|count| {
            let on = query.has(facet, &count.value);
            let href = facet_href(&query, facet, &count.value);
            let testid = format!("facet-{}-{}", facet.label().to_lowercase(), count.value);
            view! {
                <li>
                    <a href=href class:on=on aria-current=on.then_some("true") data-testid=testid>
                        <span class="check" aria-hidden="true">{if on { "☑" } else { "☐" }}</span>
                        {count.label}
                        <span class="count">{count.count}</span>
                    </a>
                </li>
            }
        })
        .collect_view();
    let heading_id = format!("facet-{}", facet.label().to_lowercase());
    let labelled_by = heading_id.clone();
    view! {
        <section class="facet" aria-labelledby=labelled_by>
            <h3 id=heading_id>{facet.label()}</h3>
            <ul>{items}</ul>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_facet_link_toggles_its_value() {
        let query = SearchQuery::from_pairs([("q", "rain")]);
        assert_eq!(
            facet_href(&query, Facet::Station, "SEA"),
            "/datasets?q=rain&station=SEA"
        );
        let filtered = query.toggled(Facet::Station, "SEA");
        assert_eq!(
            facet_href(&filtered, Facet::Station, "SEA"),
            "/datasets?q=rain"
        );
    }
}
