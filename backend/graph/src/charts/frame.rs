//! What every chart has: a title, an x axis (months, or years), a y axis with its description
//! and unit, the plot, and a note under it; drawn as SVG and as PNG from the same description.
//! The PNG's text is set in DejaVu Sans, shipped with the code (the `dejavu` crate; its licence
//! is `backend/graph/FONT-LICENSE`), so a chart looks the same on every machine.

use super::plot::Plot;
use super::{Chart, ChartError};
use plotters::backend::RGBPixel;
use plotters::coord::Shift;
use plotters::prelude::*;
use std::ops::Range;
use std::sync::OnceLock;

/// Pixels of each chart.
const SIZE: (u32, u32) = (800, 480);
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
/// The family every chart's text is set in.
const FONT: &str = "sans-serif";

pub fn failed(error: impl std::fmt::Display) -> ChartError {
    ChartError(error.to_string())
}

/// Makes DejaVu Sans the charts' font, once per process.
fn font() -> Result<(), ChartError> {
    static REGISTERED: OnceLock<Result<(), String>> = OnceLock::new();
    REGISTERED
        .get_or_init(|| {
            plotters::style::register_font(FONT, FontStyle::Normal, dejavu::sans::regular())
                .map_err(|_| "the charts' font (DejaVu Sans) does not load".to_owned())
        })
        .clone()
        .map_err(ChartError)
}

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

/// Everything of a chart but its plot.
#[derive(Debug, Clone)]
pub struct Frame {
    pub title: String,
    pub x: XAxis,
    /// The y axis's description, with its unit.
    pub y_desc: &'static str,
    pub y: Range<f64>,
    pub note: String,
}

fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    frame: &Frame,
    plot: &Plot,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    root.fill(&WHITE)?;
    let (upper, foot) = root.split_vertically(SIZE.1 - 30);
    let mut area = ChartBuilder::on(&upper)
        .caption(&frame.title, (FONT, 22))
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(60)
        .build_cartesian_2d(frame.x.range.clone(), frame.y.clone())?;
    let label = |at: &f64| frame.x.label(*at);
    area.configure_mesh()
        .disable_x_mesh()
        .x_labels(frame.x.labels())
        .x_label_formatter(&label)
        .x_desc(frame.x.desc)
        .y_desc(frame.y_desc)
        .label_style((FONT, 13))
        .draw()?;
    plot.draw(&mut area)?;
    foot.draw_text(&frame.note, &(FONT, 15).into_font().color(&BLACK), (72, 6))?;
    root.present()
}

/// The PNG of an RGB image of [`SIZE`].
fn png(rgb: &[u8]) -> Result<Vec<u8>, ChartError> {
    let mut bytes = Vec::new();
    let mut encoder = png::Encoder::new(&mut bytes, SIZE.0, SIZE.1);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header().map_err(failed)?;
    writer.write_image_data(rgb).map_err(failed)?;
    writer.finish().map_err(failed)?;
    Ok(bytes)
}

/// Draws `plot` in `frame` as SVG.
pub fn svg(frame: &Frame, plot: &Plot) -> Result<String, ChartError> {
    font()?;
    let mut svg = String::new();
    draw(
        &SVGBackend::with_string(&mut svg, SIZE).into_drawing_area(),
        frame,
        plot,
    )
    .map_err(failed)?;
    Ok(svg)
}

/// Draws `plot` in `frame`, as SVG and as PNG, named `name` (without extension).
pub fn chart(name: String, frame: &Frame, plot: &Plot) -> Result<Chart, ChartError> {
    let svg = svg(frame, plot)?;
    let mut rgb = vec![0_u8; SIZE.0 as usize * SIZE.1 as usize * 3];
    {
        let backend =
            BitMapBackend::<RGBPixel>::with_buffer_and_format(&mut rgb, SIZE).map_err(failed)?;
        draw(&backend.into_drawing_area(), frame, plot).map_err(failed)?;
    }
    Ok(Chart {
        name,
        title: frame.title.clone(),
        note: frame.note.clone(),
        svg,
        png: png(&rgb)?,
    })
}

/// A range from the lowest of `values` to the highest with a margin, never empty; `fallback`
/// when there are none.
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
