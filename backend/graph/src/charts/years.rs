//! Charts over a range of years: a station's annual mean high and low ([`trend`]), and stations
//! side by side, one chart per variable ([`comparison`]).

use super::frame::{Frame, XAxis, chart, padded};
use super::plot::{Line, Plot};
use super::{Chart, ChartError, HIGH, LOW};
use crate::monthly::{Annual, annual};
use mrdp_shared::daily_weather::DailyWeather;
use plotters::style::RGBColor;

/// The stations' colours in a comparison, in turn.
const PALETTE: [RGBColor; 6] = [
    RGBColor(31, 119, 180),
    RGBColor(214, 39, 40),
    RGBColor(44, 160, 44),
    RGBColor(148, 103, 189),
    RGBColor(255, 127, 14),
    RGBColor(23, 190, 207),
];

/// The first and last year of `years`.
fn span<'a>(years: impl Iterator<Item = &'a Annual>) -> (i32, i32) {
    years.fold((i32::MAX, i32::MIN), |(first, last), y| {
        (first.min(y.year), last.max(y.year))
    })
}

/// `(year, value)` of each year that has one.
fn by_year(years: &[Annual], of: impl Fn(&Annual) -> Option<f64>) -> Vec<(f64, f64)> {
    years
        .iter()
        .filter_map(|a| of(a).map(|v| (f64::from(a.year), v)))
        .collect()
}

/// `station`'s annual mean daily high and low over the years of `years`.
pub fn trend(station: &str, years: &[DailyWeather]) -> Result<Chart, ChartError> {
    let annuals: Vec<Annual> = years.iter().map(annual).collect();
    let (first, last) = span(annuals.iter());
    let highs = by_year(&annuals, |a| a.mean_high.map(|t| t / 10.0));
    let lows = by_year(&annuals, |a| a.mean_low.map(|t| t / 10.0));
    let missing: usize = annuals.iter().map(|a| a.days_missing).sum();
    let days: usize = years.iter().map(|y| y.days.len()).sum();
    let frame = Frame {
        title: format!("{station} {first}–{last}: annual mean high and low"),
        x: XAxis::years(first, last),
        y_desc: "Temperature (°C)",
        y: padded(highs.iter().chain(&lows).map(|(_, c)| *c), -10.0..30.0),
        note: format!(
            "Red: annual mean of the daily highs; blue: of the lows. {missing} days of {days} lack one or both."
        ),
    };
    let line = |points, color| Line {
        name: None,
        points,
        color,
    };
    let plot = Plot::Lines(vec![line(highs, HIGH), line(lows, LOW)]);
    chart(format!("{station}-{first}-{last}-trend"), &frame, &plot)
}

/// What a comparison chart shows of a year: (name part, title, axis, value in the unit).
type Variable = (
    &'static str,
    &'static str,
    &'static str,
    fn(&Annual) -> Option<f64>,
);

pub(crate) const VARIABLES: [Variable; 3] = [
    (
        "precipitation",
        "annual precipitation",
        "Precipitation (mm)",
        |a| a.precipitation.map(|tenths| tenths as f64 / 10.0),
    ),
    ("high", "annual mean daily high", "Temperature (°C)", |a| {
        a.mean_high.map(|t| t / 10.0)
    }),
    ("low", "annual mean daily low", "Temperature (°C)", |a| {
        a.mean_low.map(|t| t / 10.0)
    }),
];

/// `stations` (each with its years) compared: one chart per variable, a line per station; a
/// station without a variable (no precipitation recorded) is named in the note.
pub fn comparison(stations: &[(&str, Vec<DailyWeather>)]) -> Result<Vec<Chart>, ChartError> {
    let annuals: Vec<(&str, Vec<Annual>)> = stations
        .iter()
        .map(|(station, years)| (*station, years.iter().map(annual).collect()))
        .collect();
    let (first, last) = span(annuals.iter().flat_map(|(_, years)| years));
    let names: Vec<&str> = stations.iter().map(|(station, _)| *station).collect();
    VARIABLES
        .iter()
        .map(|&(kind, what, axis, value)| {
            let lines: Vec<Line> = annuals
                .iter()
                .zip(PALETTE.iter().cycle())
                .map(|((station, years), color)| Line {
                    name: Some((*station).to_owned()),
                    points: by_year(years, value),
                    color: *color,
                })
                .collect();
            let without: Vec<&str> = lines
                .iter()
                .filter(|line| line.points.is_empty())
                .filter_map(|line| line.name.as_deref())
                .collect();
            let note = match without.as_slice() {
                [] => "Each line is a station (see the legend).".to_owned(),
                missing => format!("No {what} is recorded for {}.", missing.join(", ")),
            };
            let values = lines
                .iter()
                .flat_map(|line| line.points.iter().map(|(_, v)| *v));
            let fallback = if kind == "precipitation" {
                0.0..100.0
            } else {
                -10.0..30.0
            };
            let frame = Frame {
                title: format!("{}, {first}–{last}: {what}", names.join(", ")),
                x: XAxis::years(first, last),
                y_desc: axis,
                y: padded(values, fallback),
                note,
            };
            let name = format!("{}-{first}-{last}-{kind}", names.join("-"));
            chart(name, &frame, &Plot::Lines(lines))
        })
        .collect()
}
