//! Charts over a range of years: a station's annual mean high and low ([`trend`]), and stations
//! side by side, one chart per variable ([`comparison`]).

use super::frame::{XAxis, chart, line, padded};
use super::{Chart, ChartError, HIGH, LOW};
use crate::monthly::{Annual, annual};
use mrdp_shared::daily_weather::DailyWeather;
use plotters::prelude::*;

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

/// `station`'s annual mean daily high and low over the years of `years`.
pub fn trend(station: &str, years: &[DailyWeather]) -> Result<Chart, ChartError> {
    let annuals: Vec<Annual> = years.iter().map(annual).collect();
    let (first, last) = span(annuals.iter());
    let points = |of: fn(&Annual) -> Option<f64>| -> Vec<(f64, f64)> {
        annuals
            .iter()
            .filter_map(|a| of(a).map(|tenths| (f64::from(a.year), tenths / 10.0)))
            .collect()
    };
    let (highs, lows) = (points(|a| a.mean_high), points(|a| a.mean_low));
    let range = padded(highs.iter().chain(&lows).map(|(_, c)| *c), -10.0..30.0);
    let missing: usize = annuals.iter().map(|a| a.days_missing).sum();
    let note = format!(
        "Red: annual mean of the daily highs; blue: of the lows. {missing} days of {} lack one or both.",
        years.iter().map(|y| y.days.len()).sum::<usize>()
    );
    let svg = chart(
        &format!("{station} {first}–{last}: annual mean high and low"),
        (XAxis::years(first, last), ("Temperature (°C)", range)),
        &note,
        |area| {
            line(area, highs, HIGH)?;
            line(area, lows, LOW)
        },
    )?;
    Ok(Chart {
        file_name: format!("{station}-{first}-{last}-trend.svg"),
        svg,
    })
}

/// What a comparison chart shows of a year: (file name part, title, axis, value in the unit).
type Variable = (
    &'static str,
    &'static str,
    &'static str,
    fn(&Annual) -> Option<f64>,
);

const VARIABLES: [Variable; 3] = [
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
    VARIABLES
        .iter()
        .map(|&(kind, what, axis, value)| {
            let lines: Vec<(&str, Vec<(f64, f64)>)> = annuals
                .iter()
                .map(|(station, years)| {
                    let points = years
                        .iter()
                        .filter_map(|a| value(a).map(|v| (f64::from(a.year), v)))
                        .collect();
                    (*station, points)
                })
                .collect();
            let without: Vec<&str> = lines
                .iter()
                .filter(|(_, points)| points.is_empty())
                .map(|(station, _)| *station)
                .collect();
            let note = match without.as_slice() {
                [] => "Each line is a station (see the legend).".to_owned(),
                names => format!("No {what} is recorded for {}.", names.join(", ")),
            };
            let values = lines
                .iter()
                .flat_map(|(_, points)| points.iter().map(|(_, v)| *v));
            let fallback = if kind == "precipitation" {
                0.0..100.0
            } else {
                -10.0..30.0
            };
            let names: Vec<&str> = stations.iter().map(|(station, _)| *station).collect();
            let svg = chart(
                &format!("{}, {first}–{last}: {what}", names.join(", ")),
                (XAxis::years(first, last), (axis, padded(values, fallback))),
                &note,
                |area| {
                    for ((station, points), color) in lines.into_iter().zip(PALETTE.iter().cycle())
                    {
                        let color = *color;
                        area.draw_series(LineSeries::new(points.clone(), color.stroke_width(2)))?
                            .label(station)
                            .legend(move |(x, y)| {
                                PathElement::new([(x, y), (x + 20, y)], color.stroke_width(2))
                            });
                        area.draw_series(
                            points
                                .into_iter()
                                .map(|p| Circle::new(p, 3, color.filled())),
                        )?;
                    }
                    area.configure_series_labels()
                        .background_style(WHITE.mix(0.8))
                        .border_style(BLACK)
                        .draw()
                },
            )?;
            Ok(Chart {
                file_name: format!("{}-{first}-{last}-{kind}.svg", names.join("-")),
                svg,
            })
        })
        .collect()
}
