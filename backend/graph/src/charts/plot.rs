//! What a chart draws inside its frame, on any `plotters` backend (SVG or bitmap): bars, lines
//! of points (with a legend when they are named), or box plots.

use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;

/// The plotting area of a chart, on backend `DB`.
pub type Area<'a, DB> = ChartContext<'a, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>;
type Drawn<DB> = Result<(), DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

/// A line of points, named when a chart has several.
#[derive(Debug, Clone)]
pub struct Line {
    pub name: Option<String>,
    pub points: Vec<(f64, f64)>,
    pub color: RGBColor,
}

/// What a chart draws.
#[derive(Debug, Clone)]
pub enum Plot {
    /// A bar from 0 up to each point.
    Bars(Vec<(f64, f64)>, RGBColor),
    Lines(Vec<Line>),
    /// At each x: the lowest, first quartile, median, third quartile and highest.
    Boxes(Vec<(f64, [f64; 5])>, RGBColor),
}

impl Plot {
    pub fn draw<'a, DB: DrawingBackend + 'a>(&self, area: &mut Area<'a, DB>) -> Drawn<DB> {
        match self {
            Self::Bars(bars, color) => {
                area.draw_series(bars.iter().map(|&(x, y)| {
                    Rectangle::new([(x - 0.35, 0.0), (x + 0.35, y)], color.filled())
                }))?;
            }
            Self::Lines(lines) => {
                for line in lines {
                    let color = line.color;
                    let drawn = area
                        .draw_series(LineSeries::new(line.points.clone(), color.stroke_width(2)))?;
                    if let Some(name) = &line.name {
                        drawn.label(name).legend(move |(x, y)| {
                            PathElement::new([(x, y), (x + 20, y)], color.stroke_width(2))
                        });
                    }
                    let dots = line
                        .points
                        .iter()
                        .map(|&p| Circle::new(p, 3, color.filled()));
                    area.draw_series(dots)?;
                }
                if lines.iter().any(|line| line.name.is_some()) {
                    area.configure_series_labels()
                        .background_style(WHITE.mix(0.8))
                        .border_style(BLACK)
                        .draw()?;
                }
            }
            Self::Boxes(boxes, color) => {
                for &(x, [min, q1, median, q3, max]) in boxes {
                    let (left, right) = (x - 0.3, x + 0.3);
                    let body = [(left, q1), (right, q3)];
                    area.draw_series([Rectangle::new(body, color.mix(0.25).filled())])?;
                    area.draw_series([Rectangle::new(body, color.stroke_width(1))])?;
                    let strokes = [
                        [(left, median), (right, median)],
                        [(x, min), (x, q1)],
                        [(x, q3), (x, max)],
                        [(x - 0.15, min), (x + 0.15, min)],
                        [(x - 0.15, max), (x + 0.15, max)],
                    ];
                    area.draw_series(
                        strokes.map(|stroke| PathElement::new(stroke, color.stroke_width(2))),
                    )?;
                }
            }
        }
        Ok(())
    }
}
