//! The charts of the graph service, drawn with `plotters` as SVG and PNG: a station-year's three
//! ([`station_year`]), a station's years side by side ([`trend`]) and stations compared year by
//! year ([`comparison`]). Each has a title, axis labels with units, and a note of what was
//! missing, so a chart never hides a gap.

mod frame;
mod plot;
mod station_year;
mod years;

pub use station_year::{station_year, station_year_svg};
pub use years::{comparison, trend};

/// How many charts a comparison draws: one per variable compared.
pub const COMPARED: usize = years::VARIABLES.len();

use plotters::style::RGBColor;

const HIGH: RGBColor = RGBColor(192, 57, 43);
const LOW: RGBColor = RGBColor(36, 113, 163);
const RAIN: RGBColor = RGBColor(93, 173, 226);

/// One chart, as SVG (`<name>.svg`) and as PNG (`<name>.png`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chart {
    /// Its files' name, without their extension (`SEA-2012-precipitation`).
    pub name: String,
    pub title: String,
    /// What was missing, as the chart's foot says it.
    pub note: String,
    pub svg: String,
    pub png: Vec<u8>,
}

/// Why a chart could not be drawn.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChartError(String);

impl std::fmt::Display for ChartError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "a chart could not be drawn: {}", self.0)
    }
}

impl std::error::Error for ChartError {}
