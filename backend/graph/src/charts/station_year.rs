//! A station-year's three charts: the monthly precipitation (bars), the average daily high and
//! low (lines), and the distribution of the daily highs of each month (box plots: the box from
//! the first to the third quartile, the median across it, whiskers to the lowest and highest).

use super::frame::{Frame, XAxis, chart, missing_note, padded, svg};
use super::plot::{Line, Plot};
use super::{Chart, ChartError, HIGH, LOW, RAIN};
use crate::monthly::{Month, monthly};
use mrdp_shared::daily_weather::DailyWeather;

/// `(month, value)` of each month that has one, in the unit (tenths divided by ten).
fn by_month(months: &[Month], of: impl Fn(&Month) -> Option<f64>) -> Vec<(f64, f64)> {
    months
        .iter()
        .filter_map(|m| of(m).map(|tenths| (f64::from(m.month), tenths / 10.0)))
        .collect()
}

fn precipitation(place: &str, months: &[Month]) -> (Frame, Plot) {
    let totals = by_month(months, |m| m.precipitation.map(|tenths| tenths as f64));
    let missing: usize = months.iter().map(|m| m.missing_precipitation).sum();
    let note = if totals.is_empty() {
        "No precipitation is recorded at this station for this year.".to_owned()
    } else {
        missing_note(missing, "precipitation")
    };
    let top = totals.iter().map(|(_, mm)| *mm).fold(0.0, f64::max);
    let frame = Frame {
        title: format!("{place}: monthly precipitation"),
        x: XAxis::months(),
        y_desc: "Precipitation (mm)",
        y: 0.0..(top * 1.1).max(10.0),
        note,
    };
    (frame, Plot::Bars(totals, RAIN))
}

fn temperature(place: &str, months: &[Month]) -> (Frame, Plot) {
    let (highs, lows) = (
        by_month(months, |m| m.mean_high),
        by_month(months, |m| m.mean_low),
    );
    let missing_highs: usize = months.iter().map(|m| m.missing_highs).sum();
    let missing_lows: usize = months.iter().map(|m| m.missing_lows).sum();
    let frame = Frame {
        title: format!("{place}: average daily high and low"),
        x: XAxis::months(),
        y_desc: "Temperature (°C)",
        y: padded(highs.iter().chain(&lows).map(|(_, c)| *c), -10.0..30.0),
        note: format!(
            "Red: average daily high; blue: average daily low. {} {}",
            missing_note(missing_highs, "high"),
            missing_note(missing_lows, "low")
        ),
    };
    let line = |points, color| Line {
        name: None,
        points,
        color,
    };
    (frame, Plot::Lines(vec![line(highs, HIGH), line(lows, LOW)]))
}

fn high_distribution(place: &str, months: &[Month]) -> (Frame, Plot) {
    let boxes: Vec<(f64, [f64; 5])> = months
        .iter()
        .filter_map(|m| {
            let d = m.highs?;
            let celsius = [d.min, d.q1, d.median, d.q3, d.max].map(|tenths| tenths / 10.0);
            Some((f64::from(m.month), celsius))
        })
        .collect();
    let missing: usize = months.iter().map(|m| m.missing_highs).sum();
    let frame = Frame {
        title: format!("{place}: daily highs, month by month"),
        x: XAxis::months(),
        y_desc: "Daily high (°C)",
        y: padded(boxes.iter().flat_map(|(_, b)| [b[0], b[4]]), -10.0..30.0),
        note: missing_note(missing, "high"),
    };
    (frame, Plot::Boxes(boxes, HIGH))
}

/// The three charts' descriptions of `station`'s year: (kind, frame, plot).
fn three(station: &str, weather: &DailyWeather) -> [(&'static str, (Frame, Plot)); 3] {
    let months = monthly(weather);
    let place = format!("{station} {}", weather.year);
    [
        ("precipitation", precipitation(&place, &months)),
        ("temperature", temperature(&place, &months)),
        ("high-distribution", high_distribution(&place, &months)),
    ]
}

/// The three charts of `station`'s year, named as the sample portal names them.
pub fn station_year(station: &str, weather: &DailyWeather) -> Result<Vec<Chart>, ChartError> {
    three(station, weather)
        .into_iter()
        .map(|(kind, (frame, plot))| {
            chart(format!("{station}-{}-{kind}", weather.year), &frame, &plot)
        })
        .collect()
}

/// The same three charts as SVG only (what the sample's own library makes, for the bench).
pub fn station_year_svg(station: &str, weather: &DailyWeather) -> Result<Vec<String>, ChartError> {
    three(station, weather)
        .iter()
        .map(|(_, (frame, plot))| svg(frame, plot))
        .collect()
}
