//! What every chart has: a title, an x axis (months, or years), a y axis with its description
//! and unit, the plot, and a note under it.

use super::ChartError;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use std::ops::Range;

/// Pixels of each chart.
const SIZE: (u32, u32) = (800, 480);
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

pub fn failed(error: impl std::fmt::Display) -> ChartError {
    ChartError(error.to_string())
}

pub type Area<'a> = ChartContext<'a, SVGBackend<'a>, Cartesian2d<RangedCoordf64, RangedCoordf64>>;
pub type Drawn = Result<(), DrawingAreaErrorKind<std::io::Error>>;

/// The x axis: what it shows, its range, and the whole numbers on it it labels.
#[derive(Debug, Clone)]
pub struct XAxis {
    desc: &'static str,
    range: Range<f64>,
    first: i32,
    last: i32,
    months: bool,
}

impl XAxis {
    /// January (1) to December (12), labelled by name.
    pub fn months() -> Self {
        Self {
            desc: "Month",
            range: 0.5..12.5,
            first: 1,
            last: 12,
            months: true,
        }
    }

    /// The years `first` to `last`.
    pub fn years(first: i32, last: i32) -> Self {
        let range = f64::from(first) - 0.5..f64::from(last) + 0.5;
        Self {
            desc: "Year",
            range,
            first,
            last,
            months: false,
        }
    }

    /// The label at position `x`: a month's name or a year, only at whole numbers.
    fn label(&self, x: f64) -> String {
        let whole = x.round();
        if (x - whole).abs() > 1e-6 || whole < f64::from(self.first) || whole > f64::from(self.last)
        {
            return String::new();
        }
        match self.months {
            true => MONTHS[whole as usize - 1].to_owned(),
            false => format!("{whole:.0}"),
        }
    }

    fn labels(&self) -> usize {
        usize::try_from(self.last - self.first + 1)
            .unwrap_or(1)
            .min(12)
    }
}

/// A line of points, each point drawn too.
pub fn line(area: &mut Area<'_>, points: Vec<(f64, f64)>, color: RGBColor) -> Drawn {
    area.draw_series(LineSeries::new(points.clone(), color.stroke_width(2)))?;
    area.draw_series(
        points
            .into_iter()
            .map(|p| Circle::new(p, 3, color.filled())),
    )?;
    Ok(())
}

/// Draws one chart: `x` across, `y` (with its description) up, `note` under the plot.
pub fn chart(
    title: &str,
    (x, (y_desc, y)): (XAxis, (&str, Range<f64>)),
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
            .build_cartesian_2d(x.range.clone(), y)
            .map_err(failed)?;
        let label = |at: &f64| x.label(*at);
        area.configure_mesh()
            .disable_x_mesh()
            .x_labels(x.labels())
            .x_label_formatter(&label)
            .x_desc(x.desc)
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

/// A range from `low` to `high` with a margin, never empty; `fallback` when there are no values.
pub fn padded(values: impl Iterator<Item = f64>, fallback: Range<f64>) -> Range<f64> {
    let (low, high) = values.fold((f64::MAX, f64::MIN), |(lo, hi), v| (lo.min(v), hi.max(v)));
    if low > high {
        return fallback;
    }
    let margin = ((high - low) * 0.08).max(1.0);
    (low - margin)..(high + margin)
}

/// "3 days have no high value." — what a chart leaves out, in words.
pub fn missing_note(days: usize, what: &str) -> String {
    match days {
        0 => format!("Every day has a {what} value."),
        1 => format!("1 day has no {what} value."),
        n => format!("{n} days have no {what} value."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_axis_labels_its_whole_positions_only() {
        let months = XAxis::months();
        assert_eq!(
            (months.label(1.0), months.label(12.0)),
            ("Jan".into(), "Dec".into())
        );
        assert_eq!(
            (months.label(1.5), months.label(13.0)),
            (String::new(), String::new())
        );
        let years = XAxis::years(2012, 2015);
        assert_eq!(
            (years.label(2013.0), years.label(2016.0)),
            ("2013".into(), String::new())
        );
        assert_eq!(years.labels(), 4);
        assert_eq!(padded([].into_iter(), 0.0..1.0), 0.0..1.0);
    }
}
