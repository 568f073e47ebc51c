//! A station-year's three charts: the monthly precipitation (bars), the average daily high and
//! low (lines), and the distribution of the daily highs of each month (box plots: the box from
//! the first to the third quartile, the median across it, whiskers to the lowest and highest).

use super::frame::{XAxis, chart, line, missing_note, padded};
use super::{Chart, ChartError, HIGH, LOW, RAIN};
use crate::monthly::{Month, monthly};
use mrdp_shared::daily_weather::DailyWeather;
use plotters::prelude::*;

fn precipitation(place: &str, months: &[Month]) -> Result<String, ChartError> {
    let totals: Vec<(f64, f64)> = months
        .iter()
        .filter_map(|m| {
            m.precipitation
                .map(|tenths| (f64::from(m.month), tenths as f64 / 10.0))
        })
        .collect();
    let missing: usize = months.iter().map(|m| m.missing_precipitation).sum();
    let note = if totals.is_empty() {
        "No precipitation is recorded at this station for this year.".to_owned()
    } else {
        missing_note(missing, "precipitation")
    };
    let top = totals.iter().map(|(_, mm)| *mm).fold(0.0, f64::max);
    chart(
        &format!("{place}: monthly precipitation"),
        (
            XAxis::months(),
            ("Precipitation (mm)", 0.0..(top * 1.1).max(10.0)),
        ),
        &note,
        |area| {
            area.draw_series(totals.iter().map(|&(month, mm)| {
                Rectangle::new([(month - 0.35, 0.0), (month + 0.35, mm)], RAIN.filled())
            }))?;
            Ok(())
        },
    )
}

fn temperature(place: &str, months: &[Month]) -> Result<String, ChartError> {
    let points = |of: fn(&Month) -> Option<f64>| -> Vec<(f64, f64)> {
        months
            .iter()
            .filter_map(|m| of(m).map(|tenths| (f64::from(m.month), tenths / 10.0)))
            .collect()
    };
    let (highs, lows) = (points(|m| m.mean_high), points(|m| m.mean_low));
    let range = padded(highs.iter().chain(&lows).map(|(_, c)| *c), -10.0..30.0);
    let missing_highs: usize = months.iter().map(|m| m.missing_highs).sum();
    let missing_lows: usize = months.iter().map(|m| m.missing_lows).sum();
    let note = format!(
        "Red: average daily high; blue: average daily low. {} {}",
        missing_note(missing_highs, "high"),
        missing_note(missing_lows, "low")
    );
    chart(
        &format!("{place}: average daily high and low"),
        (XAxis::months(), ("Temperature (°C)", range)),
        &note,
        |area| {
            line(area, highs, HIGH)?;
            line(area, lows, LOW)
        },
    )
}

fn high_distribution(place: &str, months: &[Month]) -> Result<String, ChartError> {
    let boxes: Vec<(f64, [f64; 5])> = months
        .iter()
        .filter_map(|m| {
            m.highs.map(|d| {
                let celsius = [d.min, d.q1, d.median, d.q3, d.max].map(|tenths| tenths / 10.0);
                (f64::from(m.month), celsius)
            })
        })
        .collect();
    let range = padded(boxes.iter().flat_map(|(_, b)| [b[0], b[4]]), -10.0..30.0);
    let missing: usize = months.iter().map(|m| m.missing_highs).sum();
    chart(
        &format!("{place}: daily highs, month by month"),
        (XAxis::months(), ("Daily high (°C)", range)),
        &missing_note(missing, "high"),
        |area| {
            for (month, [min, q1, median, q3, max]) in boxes {
                let (left, right) = (month - 0.3, month + 0.3);
                area.draw_series([Rectangle::new(
                    [(left, q1), (right, q3)],
                    HIGH.mix(0.25).filled(),
                )])?;
                area.draw_series([Rectangle::new(
                    [(left, q1), (right, q3)],
                    HIGH.stroke_width(1),
                )])?;
                let lines = [
                    [(left, median), (right, median)],
                    [(month, min), (month, q1)],
                    [(month, q3), (month, max)],
                    [(month - 0.15, min), (month + 0.15, min)],
                    [(month - 0.15, max), (month + 0.15, max)],
                ];
                area.draw_series(lines.map(|line| PathElement::new(line, HIGH.stroke_width(2))))?;
            }
            Ok(())
        },
    )
}

/// The three charts of `station`'s `year`, named as the sample portal names them.
pub fn station_year(station: &str, weather: &DailyWeather) -> Result<Vec<Chart>, ChartError> {
    let months = monthly(weather);
    let place = format!("{station} {}", weather.year);
    let chart = |kind: &str, svg: String| Chart {
        file_name: format!("{station}-{}-{kind}.svg", weather.year),
        svg,
    };
    Ok(vec![
        chart("precipitation", precipitation(&place, &months)?),
        chart("temperature", temperature(&place, &months)?),
        chart("high-distribution", high_distribution(&place, &months)?),
    ])
}
