//! What the API shows of a stored dataset: its landing document (with the citation as text and as
//! BibTeX) and its search-result summary.

use super::stored::StoredDataset;
use mrdp_shared::{Citation, Dataset, DatasetSummary};

/// The dataset's landing page, as browsers and search engines reach it.
pub fn landing_url(portal_url: &str, id: &str) -> String {
    format!("{}/datasets/{id}", portal_url.trim_end_matches('/'))
}

pub fn document(stored: &StoredDataset, portal_url: &str) -> Dataset {
    let entry = &stored.entry;
    Dataset {
        id: entry.id.clone(),
        title: entry.title.clone(),
        description: entry.description.clone(),
        station: entry.station.clone(),
        variables: entry.variables.clone(),
        variables_missing: entry.variables_missing.clone(),
        first_year: entry.first_year,
        last_year: entry.last_year,
        years_present: stored.counts.years_present.clone(),
        file_count: stored.counts.file_count,
        bytes: stored.counts.bytes,
        licence: entry.licence.clone(),
        source: entry.source.clone(),
        provenance: entry.provenance.clone(),
        creator: entry.creator.clone(),
        citation: citation(stored, portal_url),
        access: entry.access.clone(),
    }
}

pub fn summary(stored: &StoredDataset) -> DatasetSummary {
    let entry = &stored.entry;
    DatasetSummary {
        id: entry.id.clone(),
        title: entry.title.clone(),
        station: entry.station.clone(),
        variables: entry.variables.iter().map(|v| v.name.clone()).collect(),
        variables_missing: entry.variables_missing.clone(),
        first_year: entry.first_year,
        last_year: entry.last_year,
        file_count: stored.counts.file_count,
        bytes: stored.counts.bytes,
        access: entry.access.clone(),
    }
}

fn citation(stored: &StoredDataset, portal_url: &str) -> Citation {
    let entry = &stored.entry;
    let url = landing_url(portal_url, &entry.id);
    let text = format!(
        "{}. {} [dataset]. Source: {}. Licence: {}. {url}",
        entry.creator.trim_end_matches('.'),
        entry.title,
        entry.source,
        entry.licence
    );
    let bibtex = format!(
        "@misc{{mrdp-{id},\n  author = {{{{{author}}}}},\n  title = {{{{{title}}}}},\n  \
         howpublished = {{\\url{{{url}}}}},\n  note = {{Source: {source}. Licence: {licence}}}\n}}\n",
        id = entry.id,
        author = bibtex_text(&entry.creator),
        title = bibtex_text(&entry.title),
        url = bibtex_url(&url),
        source = bibtex_text(&entry.source),
        licence = bibtex_text(&entry.licence),
    );
    Citation { text, bibtex }
}

/// Text safe inside a BibTeX field: LaTeX's special characters escaped.
fn bibtex_text(text: &str) -> String {
    let mut safe = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '{' | '}' | '%' | '&' | '$' | '#' | '_' => {
                safe.push('\\');
                safe.push(c);
            }
            '\\' => safe.push_str("\\textbackslash{}"),
            '~' => safe.push_str("\\textasciitilde{}"),
            '^' => safe.push_str("\\textasciicircum{}"),
            c if c.is_control() => safe.push(' '),
            c => safe.push(c),
        }
    }
    safe
}

/// A URL inside `\url{}`: braces and backslashes cannot occur in one we make; `%` and `#` are
/// escaped for LaTeX.
fn bibtex_url(url: &str) -> String {
    url.replace('%', "\\%").replace('#', "\\#")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latex_specials_are_escaped_in_bibtex() {
        assert_eq!(
            bibtex_text("A & B_{1} 50% #2"),
            "A \\& B\\_\\{1\\} 50\\% \\#2"
        );
        assert_eq!(
            bibtex_text("a\\b~c"),
            "a\\textbackslash{}b\\textasciitilde{}c"
        );
    }
}
