//! The three charts of a station-year, drawn as SVG with `plotters`: the monthly precipitation
//! (bars), the average daily high and low (lines), and the distribution of the daily highs of
//! each month (box plots: the box from the first to the third quartile, the median across it,
//! whiskers to the lowest and highest). Each has a title, axis labels with units, and a note of
//! what was missing, so a chart never hides a gap.

use crate::monthly::{Month, monthly};
use mrdp_shared::daily_weather::DailyWeather;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;

/// Pixels of each chart.
const SIZE: (u32, u32) = (800, 480);
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
const HIGH: RGBColor = RGBColor(192, 57, 43);
const LOW: RGBColor = RGBColor(36, 113, 163);
const RAIN: RGBColor = RGBColor(93, 173, 226);

/// One chart: its file's name and its SVG.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chart {
    pub file_name: String,
    pub svg: String,
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

fn failed(error: impl std::fmt::Display) -> ChartError {
    ChartError(error.to_string())
}

type Area<'a> = ChartContext<'a, SVGBackend<'a>, Cartesian2d<RangedCoordf64, RangedCoordf64>>;
type Drawn = Result<(), DrawingAreaErrorKind<std::io::Error>>;

/// The month a position of the x axis stands for ("Jan" at 1).
fn month_label(x: &f64) -> String {
    let month = x.round();
    if (1.0..=12.0).contains(&month) && (x - month).abs() < 1e-6 {
        MONTHS[month as usize - 1].to_owned()
    } else {
        String::new()
    }
}

/// Draws one chart: months across, `y` (with its description) up, `note` under the plot.
fn chart(
    title: &str,
    (y_desc, y): (&str, std::ops::Range<f64>),
    note: &str,
    body: impl FnOnce(&mut Area<'_>) -> Drawn,
) -> Result<String, ChartError> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, SIZE).into_drawing_area();
        root.fill(&WHITE).map_err(failed)?;
        let (plot, foot) = root.split_vertically(SIZE.1 - 30);
        let mut area = ChartBuilder::on(&plot)
            .caption(title, ("sans-serif", 22))
            .margin(12)
            .x_label_area_size(40)
            .y_label_area_size(60)
            .build_cartesian_2d(0.5_f64..12.5_f64, y)
            .map_err(failed)?;
        area.configure_mesh()
            .disable_x_mesh()
            .x_labels(12)
            .x_label_formatter(&month_label)
            .x_desc("Month")
            .y_desc(y_desc)
            .draw()
            .map_err(failed)?;
        body(&mut area).map_err(failed)?;
        foot.draw_text(note, &("sans-serif", 15).into_font().color(&BLACK), (72, 6))
            .map_err(failed)?;
        root.present().map_err(failed)?;
    }
    Ok(svg)
}

/// A range from `low` to `high` with a margin, never empty.
fn padded(low: f64, high: f64) -> std::ops::Range<f64> {
    let margin = ((high - low) * 0.08).max(1.0);
    (low - margin)..(high + margin)
}

/// "3 days without a high value", "no day without…" — what a chart leaves out, in words.
fn missing_note(days: usize, what: &str) -> String {
    match days {
        0 => format!("Every day has a {what} value."),
        1 => format!("1 day has no {what} value."),
        n => format!("{n} days have no {what} value."),
    }
}

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
        ("Precipitation (mm)", 0.0..(top * 1.1).max(10.0)),
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
    let line = |of: fn(&Month) -> Option<f64>| -> Vec<(f64, f64)> {
        months
            .iter()
            .filter_map(|m| of(m).map(|tenths| (f64::from(m.month), tenths / 10.0)))
            .collect()
    };
    let (highs, lows) = (line(|m| m.mean_high), line(|m| m.mean_low));
    let all = highs.iter().chain(&lows).map(|(_, c)| *c);
    let (low, high) = all.fold((f64::MAX, f64::MIN), |(lo, hi), c| (lo.min(c), hi.max(c)));
    let range = if highs.is_empty() && lows.is_empty() {
        -10.0..30.0
    } else {
        padded(low, high)
    };
    let missing_highs: usize = months.iter().map(|m| m.missing_highs).sum();
    let missing_lows: usize = months.iter().map(|m| m.missing_lows).sum();
    let note = format!(
        "Red: average daily high; blue: average daily low. {} {}",
        missing_note(missing_highs, "high"),
        missing_note(missing_lows, "low")
    );
    chart(
        &format!("{place}: average daily high and low"),
        ("Temperature (°C)", range),
        &note,
        |area| {
            for (points, color) in [(highs, HIGH), (lows, LOW)] {
                area.draw_series(LineSeries::new(points.clone(), color.stroke_width(2)))?;
                area.draw_series(
                    points
                        .into_iter()
                        .map(|p| Circle::new(p, 3, color.filled())),
                )?;
            }
            Ok(())
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
    let (low, high) = boxes.iter().fold((f64::MAX, f64::MIN), |(lo, hi), (_, b)| {
        (lo.min(b[0]), hi.max(b[4]))
    });
    let range = if boxes.is_empty() {
        -10.0..30.0
    } else {
        padded(low, high)
    };
    let missing: usize = months.iter().map(|m| m.missing_highs).sum();
    chart(
        &format!("{place}: daily highs, month by month"),
        ("Daily high (°C)", range),
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
