//! The catalog's search index (tantivy, in memory): full text over title, description, station
//! and variables with English stemming, ranked by BM25 with the title weighted up; filters by
//! station, variables, years (overlap) and access; facet counts over the filtered results; sort by
//! relevance, title or coverage. Built whole from the catalog; who may read a dataset is part of
//! every query, so a dataset someone may not read is never counted for them.

use super::entry::CatalogEntry;
use super::facet_tally::{Dictionary, FACETS};
use super::search_query::{SearchQuery, Sort};
use std::collections::BTreeSet;
use std::ops::Bound;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{
    AllQuery, BooleanQuery, EmptyQuery, Occur, Query, QueryParser, RangeQuery, TermQuery,
};
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TantivyDocument,
    TextFieldIndexing, TextOptions, Value,
};
use tantivy::{Index, IndexReader, Order, ReloadPolicy, Term, doc};

const TITLE_BOOST: f32 = 3.0;
/// Memory for building the index (tantivy's least is 15 MB a thread).
const WRITER_MEMORY: usize = 64 * 1024 * 1024;

#[derive(Debug, Clone, Copy)]
struct Fields {
    id: Field,
    title: Field,
    body: Field,
    title_order: Field,
    /// The station, the variables and the access, numbered by the index's [`Dictionary`]:
    /// filtered on as terms, tallied as fast fields.
    numbered: [Field; 3],
    readers: Field,
    first_year: Field,
    last_year: Field,
    span: Field,
}

/// Who is searching: every signed-in researcher reads `signed-in` datasets, and members read
/// their groups'.
pub fn readers_of<'a>(groups: impl Iterator<Item = &'a str>) -> Vec<String> {
    std::iter::once("signed-in".to_owned())
        .chain(groups.map(|group| format!("group:{group}")))
        .collect()
}

fn reader_of(entry: &CatalogEntry) -> String {
    match &entry.access {
        mrdp_shared::Access::SignedIn => "signed-in".to_owned(),
        mrdp_shared::Access::Group { id, .. } => format!("group:{id}"),
    }
}

fn access_value(entry: &CatalogEntry) -> &'static str {
    match entry.access {
        mrdp_shared::Access::SignedIn => "signed-in",
        mrdp_shared::Access::Group { .. } => "group",
    }
}

/// An entry's values of each facet, in [`FACETS`] order.
fn facet_values(entry: &CatalogEntry) -> [Vec<&str>; 3] {
    [
        vec![entry.station.id.as_str()],
        entry.variables.iter().map(|v| v.name.as_str()).collect(),
        vec![access_value(entry)],
    ]
}

/// What a search found: the page's dataset ids, the total, and the facet counts.
#[derive(Debug)]
pub struct Found {
    pub ids: Vec<String>,
    pub total: usize,
    /// (facet, value, count) for `station`, `variable` and `access`.
    pub facets: Vec<(&'static str, String, u64)>,
}

#[derive(Debug, thiserror::Error)]
#[error("the catalog's search index: {0}")]
pub struct SearchError(#[from] tantivy::TantivyError);

/// A built index of the catalog.
pub struct SearchIndex {
    index: Index,
    reader: IndexReader,
    fields: Fields,
    dictionary: Dictionary,
}

impl std::fmt::Debug for SearchIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SearchIndex").finish_non_exhaustive()
    }
}

/// Words, stemmed as English (`temperatures` finds `temperature`), with their positions (phrases).
fn english() -> TextOptions {
    let indexing = TextFieldIndexing::default()
        .set_tokenizer("en_stem")
        .set_index_option(IndexRecordOption::WithFreqsAndPositions);
    TextOptions::default().set_indexing_options(indexing)
}

fn schema() -> (Schema, Fields) {
    let mut builder = Schema::builder();
    let fields = Fields {
        id: builder.add_text_field("id", STRING | STORED),
        title: builder.add_text_field("title", english()),
        body: builder.add_text_field("body", english()),
        title_order: builder.add_text_field("title_order", STRING | FAST),
        numbered: FACETS.map(|(_, field)| builder.add_u64_field(field, INDEXED | FAST)),
        readers: builder.add_text_field("readers", STRING),
        first_year: builder.add_i64_field("first_year", INDEXED | FAST),
        last_year: builder.add_i64_field("last_year", INDEXED | FAST),
        span: builder.add_i64_field("span", FAST),
    };
    (builder.build(), fields)
}

impl SearchIndex {
    /// Indexes every entry.
    pub fn build<'a>(
        entries: impl Iterator<Item = &'a CatalogEntry> + Clone,
    ) -> Result<Self, SearchError> {
        let (schema, fields) = schema();
        let mut values: [BTreeSet<String>; 3] = Default::default();
        for entry in entries.clone() {
            for (known, these) in values.iter_mut().zip(facet_values(entry)) {
                known.extend(these.into_iter().map(str::to_owned));
            }
        }
        let dictionary = Dictionary::new(values);
        let index = Index::create_in_ram(schema);
        let mut writer = index.writer_with_num_threads::<TantivyDocument>(1, WRITER_MEMORY)?;
        for entry in entries {
            let mut document = doc!(
                fields.id => entry.id.as_str(),
                fields.title => entry.title.as_str(),
                fields.title_order => entry.title.to_lowercase(),
                fields.readers => reader_of(entry),
                fields.first_year => i64::from(entry.first_year),
                fields.last_year => i64::from(entry.last_year),
                fields.span => i64::from(entry.last_year - entry.first_year + 1),
            );
            for text in [
                entry.description.as_str(),
                entry.station.id.as_str(),
                entry.station.name.as_str(),
            ] {
                document.add_text(fields.body, text);
            }
            for variable in &entry.variables {
                document.add_text(fields.body, &variable.name);
                document.add_text(fields.body, &variable.description);
            }
            for (facet, these) in facet_values(entry).into_iter().enumerate() {
                for value in these {
                    if let Some(number) = dictionary.number(facet, value) {
                        document.add_u64(fields.numbered[facet], number);
                    }
                }
            }
            writer.add_document(document)?;
        }
        writer.commit()?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        Ok(Self {
            index,
            reader,
            fields,
            dictionary,
        })
    }

    /// Runs `query` for someone who reads what `readers` names.
    pub fn search(&self, query: &SearchQuery, readers: &[String]) -> Result<Found, SearchError> {
        let filtered = self.query(query, readers);
        let searcher = self.reader.searcher();
        let facets = self.dictionary.collector();
        let top = TopDocs::with_limit(query.page.per_page as usize).and_offset(query.page.offset());
        let (addresses, total, counts) = match query.sort {
            Sort::Relevance => {
                let (top, total, counts) =
                    searcher.search(&filtered, &(top.order_by_score(), Count, facets))?;
                (top.into_iter().map(|(_, a)| a).collect(), total, counts)
            }
            Sort::Title => {
                let order = top.order_by_string_fast_field("title_order", Order::Asc);
                let (top, total, counts) = searcher.search(&filtered, &(order, Count, facets))?;
                (
                    top.into_iter().map(|(_, a)| a).collect::<Vec<_>>(),
                    total,
                    counts,
                )
            }
            Sort::Coverage => {
                let order = top.order_by_fast_field::<i64>("span", Order::Desc);
                let (top, total, counts) = searcher.search(&filtered, &(order, Count, facets))?;
                (
                    top.into_iter().map(|(_, a)| a).collect::<Vec<_>>(),
                    total,
                    counts,
                )
            }
        };
        let mut ids = Vec::with_capacity(addresses.len());
        for address in addresses {
            let document: TantivyDocument = searcher.doc(address)?;
            if let Some(id) = document.get_first(self.fields.id).and_then(|v| v.as_str()) {
                ids.push(id.to_owned());
            }
        }
        Ok(Found {
            ids,
            total,
            facets: self.dictionary.named(&counts),
        })
    }

    fn query(&self, query: &SearchQuery, readers: &[String]) -> BooleanQuery {
        let f = self.fields;
        let term = |field, text: &str| -> Box<dyn Query> {
            Box::new(TermQuery::new(
                Term::from_field_text(field, text),
                IndexRecordOption::Basic,
            ))
        };
        let facet = |facet: usize, value: &str| -> Box<dyn Query> {
            match self.dictionary.number(facet, value) {
                Some(number) => Box::new(TermQuery::new(
                    Term::from_field_u64(f.numbered[facet], number),
                    IndexRecordOption::Basic,
                )),
                None => Box::new(EmptyQuery),
            }
        };
        let words: Box<dyn Query> = if query.text.is_empty() {
            Box::new(AllQuery)
        } else {
            let mut parser = QueryParser::for_index(&self.index, vec![f.title, f.body]);
            parser.set_field_boost(f.title, TITLE_BOOST);
            // Lenient: a stray quote or colon searches for the words, never fails.
            parser.parse_query_lenient(&query.text).0
        };
        let may_read = readers
            .iter()
            .map(|reader| (Occur::Should, term(f.readers, reader)))
            .collect();
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![
            (Occur::Must, words),
            (Occur::Must, Box::new(BooleanQuery::new(may_read))),
        ];
        if let Some(station) = &query.station {
            clauses.push((Occur::Must, facet(0, station)));
        }
        for variable in &query.variables {
            clauses.push((Occur::Must, facet(1, variable)));
        }
        if let Some(access) = query.access {
            clauses.push((Occur::Must, facet(2, access.as_str())));
        }
        // Overlap: it starts by `to` and ends from `from`.
        if let Some(to) = query.to {
            let upto = Bound::Included(Term::from_field_i64(f.first_year, i64::from(to)));
            clauses.push((
                Occur::Must,
                Box::new(RangeQuery::new(Bound::Unbounded, upto)),
            ));
        }
        if let Some(from) = query.from {
            let since = Bound::Included(Term::from_field_i64(f.last_year, i64::from(from)));
            clauses.push((
                Occur::Must,
                Box::new(RangeQuery::new(since, Bound::Unbounded)),
            ));
        }
        BooleanQuery::new(clauses)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shipped() -> Vec<CatalogEntry> {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../data/climate/catalog.json"
        );
        super::super::entry::parse(&std::fs::read_to_string(path).unwrap()).unwrap()
    }

    fn search(index: &SearchIndex, pairs: &[(&str, &str)], groups: &[&str]) -> Found {
        let pairs: Vec<(String, String)> = pairs
            .iter()
            .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
            .collect();
        let query = SearchQuery::from_pairs(&pairs).unwrap();
        index
            .search(&query, &readers_of(groups.iter().copied()))
            .unwrap()
    }

    #[test]
    fn stemmed_words_find_the_station_and_the_title_ranks_first() {
        let entries = shipped();
        let index = SearchIndex::build(entries.iter()).unwrap();
        assert_eq!(search(&index, &[("q", "seattle")], &[]).ids, ["sea"]);
        let found = search(&index, &[("q", "temperatures")], &[]);
        assert_eq!(found.total, 6, "every signed-in dataset has temperatures");
        let ids = search(&index, &[("q", "york"), ("sort", "relevance")], &[]).ids;
        assert!(ids.contains(&"nyc".to_owned()) && ids.contains(&"jfk".to_owned()));
    }

    #[test]
    fn a_group_dataset_is_found_only_by_its_members() {
        let entries = shipped();
        let index = SearchIndex::build(entries.iter()).unwrap();
        let group = "330429d4-d4aa-518e-8800-6a2f8d545a7c";
        assert!(search(&index, &[("q", "clemson")], &[]).ids.is_empty());
        assert_eq!(search(&index, &[("q", "clemson")], &[group]).ids, ["ceu"]);
        let outsider = search(&index, &[], &[]);
        assert_eq!(outsider.total, 6);
        assert!(
            !outsider
                .facets
                .iter()
                .any(|(_, value, _)| value == "CEU" || value == "group")
        );
    }
}
