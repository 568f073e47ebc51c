//! Facet counts of a search, tallied from numbers: each dataset carries its station, its
//! variables and its access as small numbers in fast fields, and the tally adds one per value for
//! every dataset found. A search of a large catalog counts tens of thousands of datasets over
//! thousands of stations, and turning only the values kept back into names (not every value of
//! every segment, as a facet collector does) keeps that a small part of the search.

use std::collections::BTreeSet;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::Column;
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

/// The facets, as the API names them, with the fast field of each.
pub const FACETS: [(&str, &str); 3] = [
    ("station", "station_number"),
    ("variable", "variable_number"),
    ("access", "access_number"),
];
/// The most values a facet lists: the most frequent first.
pub const MOST_VALUES: usize = 25;

/// Each facet's values, numbered in order (the number is what a dataset's fast field holds).
#[derive(Debug, Default)]
pub struct Dictionary {
    values: [Vec<String>; 3],
}

impl Dictionary {
    /// The values of each facet (in [`FACETS`] order), numbered in sorted order.
    pub fn new(values: [BTreeSet<String>; 3]) -> Self {
        Self {
            values: values.map(|set| set.into_iter().collect()),
        }
    }

    /// The number of `value` in the `facet`th facet.
    pub fn number(&self, facet: usize, value: &str) -> Option<u64> {
        self.values[facet]
            .binary_search_by(|known| known.as_str().cmp(value))
            .ok()
            .map(|n| n as u64)
    }

    /// The counts tallied, named: for each facet its [`MOST_VALUES`] most frequent values found
    /// (ties in the values' order).
    pub fn named(&self, tally: &Tally) -> Vec<(&'static str, String, u64)> {
        let mut named = Vec::new();
        for (facet, ((name, _), counts)) in FACETS.iter().zip(&tally.counts).enumerate() {
            let mut found: Vec<(usize, u64)> = counts
                .iter()
                .enumerate()
                .filter(|(_, count)| **count > 0)
                .map(|(number, count)| (number, *count))
                .collect();
            found.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            for (number, count) in found.into_iter().take(MOST_VALUES) {
                if let Some(value) = self.values[facet].get(number) {
                    named.push((*name, value.clone(), count));
                }
            }
        }
        named
    }

    /// A collector tallying the datasets a query finds.
    pub fn collector(&self) -> TallyCollector {
        TallyCollector {
            sizes: self.values.each_ref().map(Vec::len),
        }
    }
}

/// How many datasets found have each value of each facet, by number.
#[derive(Debug, Default)]
pub struct Tally {
    counts: [Vec<u64>; 3],
}

#[derive(Debug)]
/// Tallies the datasets found, segment by segment.
pub struct TallyCollector {
    sizes: [usize; 3],
}

/// A segment's tally, read from its fast fields.
pub struct SegmentTally {
    columns: [Column<u64>; 3],
    counts: [Vec<u64>; 3],
}

impl Collector for TallyCollector {
    type Fruit = Tally;
    type Child = SegmentTally;

    fn for_segment(
        &self,
        _: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<Self::Child> {
        let fast = reader.fast_fields();
        let column = |facet: usize| fast.u64(FACETS[facet].1);
        Ok(SegmentTally {
            columns: [column(0)?, column(1)?, column(2)?],
            counts: self.sizes.map(|size| vec![0; size]),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, tallies: Vec<Tally>) -> tantivy::Result<Tally> {
        let mut sum = Tally {
            counts: self.sizes.map(|size| vec![0; size]),
        };
        for tally in tallies {
            for (total, counts) in sum.counts.iter_mut().zip(tally.counts) {
                for (total, count) in total.iter_mut().zip(counts) {
                    *total += count;
                }
            }
        }
        Ok(sum)
    }
}

impl std::fmt::Debug for SegmentTally {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SegmentTally")
            .field("counts", &self.counts)
            .finish_non_exhaustive()
    }
}

impl SegmentCollector for SegmentTally {
    type Fruit = Tally;

    fn collect(&mut self, doc: DocId, _: Score) {
        for (column, counts) in self.columns.iter().zip(&mut self.counts) {
            for number in column.values_for_doc(doc) {
                if let Some(count) = counts.get_mut(number as usize) {
                    *count += 1;
                }
            }
        }
    }

    fn harvest(self) -> Tally {
        Tally {
            counts: self.counts,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_facet_lists_its_most_frequent_values_first_and_no_more_than_the_most() {
        let stations: BTreeSet<String> = (0..40).map(|n| format!("S{n:02}")).collect();
        let dictionary = Dictionary::new([
            stations,
            ["PRCP", "TMAX"].map(String::from).into(),
            ["group", "signed-in"].map(String::from).into(),
        ]);
        assert_eq!(dictionary.number(0, "S07"), Some(7));
        assert_eq!(dictionary.number(1, "SNOW"), None);
        let tally = Tally {
            counts: [(0..40).map(|n| n % 4).collect(), vec![0, 9], vec![2, 0]],
        };
        let named = dictionary.named(&tally);
        let stations: Vec<(&str, u64)> = named
            .iter()
            .filter(|(facet, ..)| *facet == "station")
            .map(|(_, value, count)| (value.as_str(), *count))
            .collect();
        assert_eq!(stations.len(), MOST_VALUES);
        assert_eq!(&stations[..3], [("S03", 3), ("S07", 3), ("S11", 3)]);
        assert!(stations.windows(2).all(|pair| pair[0].1 >= pair[1].1));
        assert!(stations.iter().all(|(_, count)| *count > 0), "no zeros");
        let others: Vec<_> = named.iter().filter(|(f, ..)| *f != "station").collect();
        assert_eq!(
            others,
            [
                &("variable", "TMAX".to_owned(), 9),
                &("access", "group".to_owned(), 2)
            ]
        );
    }
}
