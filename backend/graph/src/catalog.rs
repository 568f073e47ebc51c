//! The datasets the service graphs and how a request is checked against them: each dataset is a
//! station's folder of one CSV per year (`<folder>/<YEAR>.csv`) in the catalog collection, and
//! covers the years its description says. The descriptions are the catalog's `catalog.json`
//! (the file the portal imports), of which only what the service needs is read.

use mrdp_shared::{ChartKind, GraphRequest, MAX_STATION_YEARS};
use serde::Deserialize;

/// A dataset the service can graph.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Dataset {
    pub id: String,
    pub folder: String,
    pub station: Station,
    pub first_year: i32,
    pub last_year: i32,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Station {
    /// Its short code (`SEA`), in chart titles and file names.
    pub id: String,
    pub name: String,
}

/// The datasets, as `catalog.json` describes them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct Catalog {
    pub datasets: Vec<Dataset>,
}

/// One CSV a job reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StationYear {
    pub dataset: String,
    pub station: String,
    pub year: i32,
    /// Its path in the catalog collection (`/sea/2012.csv`).
    pub path: String,
}

/// A checked request: what to read and what to draw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    /// Dataset by dataset, year by year.
    pub inputs: Vec<StationYear>,
    /// Sorted, each once.
    pub charts: Vec<ChartKind>,
}

/// Why a request cannot be carried out, for the person who made it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct Refusal(pub String);

fn refuse<T>(message: impl Into<String>) -> Result<T, Refusal> {
    Err(Refusal(message.into()))
}

impl Catalog {
    /// Reads `catalog.json`.
    pub fn parse(text: &str) -> Result<Self, serde_json::Error> {
        serde_json::from_str(text)
    }

    fn dataset(&self, id: &str) -> Option<&Dataset> {
        self.datasets.iter().find(|dataset| dataset.id == id)
    }

    /// Checks `request`: known datasets, each named once; a year range each dataset covers; at
    /// most [`MAX_STATION_YEARS`] station-years; charts that the request can have.
    pub fn plan(&self, request: &GraphRequest) -> Result<Plan, Refusal> {
        if request.datasets.is_empty() {
            return refuse("choose at least one dataset");
        }
        let (from, to) = (request.from_year, request.to_year);
        if from > to {
            return refuse(format!(
                "from_year ({from}) must not come after to_year ({to})"
            ));
        }
        let mut datasets: Vec<&Dataset> = Vec::new();
        for id in &request.datasets {
            let Some(dataset) = self.dataset(id) else {
                return refuse(format!("there is no dataset {id:?}"));
            };
            if datasets.iter().any(|chosen| chosen.id == *id) {
                return refuse(format!("dataset {id:?} is named twice"));
            }
            if from < dataset.first_year || to > dataset.last_year {
                return refuse(format!(
                    "{id} covers {}–{}; {from}–{to} is not within it",
                    dataset.first_year, dataset.last_year
                ));
            }
            datasets.push(dataset);
        }
        let years = usize::try_from(to - from + 1).unwrap_or(usize::MAX);
        let station_years = datasets.len().saturating_mul(years);
        if station_years > MAX_STATION_YEARS {
            return refuse(format!(
                "{station_years} station-years asked for; a job graphs at most {MAX_STATION_YEARS}"
            ));
        }
        let mut charts = request
            .charts
            .clone()
            .unwrap_or_else(|| ChartKind::STATION_YEAR.to_vec());
        charts.sort_unstable();
        charts.dedup();
        if charts.is_empty() {
            return refuse("choose at least one chart");
        }
        if charts.contains(&ChartKind::Trend) && from == to {
            return refuse("a trend needs a range of at least two years");
        }
        if charts.contains(&ChartKind::Comparison) && datasets.len() < 2 {
            return refuse("a comparison needs at least two datasets");
        }
        let inputs = datasets
            .iter()
            .flat_map(|dataset| {
                (from..=to).map(|year| StationYear {
                    dataset: dataset.id.clone(),
                    station: dataset.station.id.clone(),
                    year,
                    path: format!("/{}/{year}.csv", dataset.folder.trim_matches('/')),
                })
            })
            .collect();
        Ok(Plan { inputs, charts })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn catalog() -> Catalog {
        Catalog::parse(
            r#"{"datasets": [
                {"id": "sea", "folder": "sea", "station": {"id": "SEA", "name": "Seattle"},
                 "first_year": 2012, "last_year": 2015, "title": "ignored"},
                {"id": "ceu", "folder": "ceu", "station": {"id": "CEU", "name": "Clemson"},
                 "first_year": 1930, "last_year": 2020}
            ]}"#,
        )
        .unwrap()
    }

    fn request(
        datasets: &[&str],
        from: i32,
        to: i32,
        charts: Option<Vec<ChartKind>>,
    ) -> GraphRequest {
        GraphRequest {
            datasets: datasets.iter().map(|d| (*d).to_owned()).collect(),
            from_year: from,
            to_year: to,
            charts,
        }
    }

    #[test]
    fn a_request_becomes_the_files_to_read_and_the_charts_to_draw() {
        let plan = catalog()
            .plan(&request(&["sea", "ceu"], 2013, 2014, None))
            .unwrap();
        let paths: Vec<&str> = plan
            .inputs
            .iter()
            .map(|input| input.path.as_str())
            .collect();
        assert_eq!(
            paths,
            [
                "/sea/2013.csv",
                "/sea/2014.csv",
                "/ceu/2013.csv",
                "/ceu/2014.csv"
            ]
        );
        assert_eq!(plan.inputs[2].station, "CEU");
        assert_eq!(plan.charts, ChartKind::STATION_YEAR);
    }

    #[test]
    fn what_cannot_be_graphed_is_refused_with_its_reason() {
        let catalog = catalog();
        let refused = |r: GraphRequest| catalog.plan(&r).unwrap_err().0;
        assert!(refused(request(&[], 2012, 2012, None)).contains("at least one dataset"));
        assert!(refused(request(&["nyc"], 2012, 2012, None)).contains("no dataset \"nyc\""));
        assert!(refused(request(&["sea", "sea"], 2012, 2012, None)).contains("twice"));
        assert!(refused(request(&["sea"], 2011, 2012, None)).contains("covers 2012–2015"));
        assert!(refused(request(&["sea"], 2013, 2012, None)).contains("must not come after"));
        assert!(refused(request(&["ceu"], 1930, 1950, None)).contains("21 station-years"));
        assert!(refused(request(&["sea"], 2012, 2012, Some(vec![]))).contains("one chart"));
        let trend = Some(vec![ChartKind::Trend]);
        assert!(refused(request(&["sea"], 2012, 2012, trend)).contains("two years"));
        let comparison = Some(vec![ChartKind::Comparison]);
        assert!(refused(request(&["sea"], 2012, 2013, comparison)).contains("two datasets"));
        assert!(
            catalog.plan(&request(&["ceu"], 1930, 1949, None)).is_ok(),
            "20 is allowed"
        );
    }
}
