use crate::daily_weather::{DailyWeather, Day, date_text, month_starts};
use leptos::ev::KeyboardEvent;
use leptos::prelude::*;

/// Drawing units: one day is `DAY_WIDTH` wide; the SVG scales to the page's width.
const DAY_WIDTH: f64 = 3.0;
const LEFT: f64 = 40.0;
/// Temperatures are drawn between these heights, precipitation below.
const TEMP_TOP: f64 = 10.0;
const TEMP_BOTTOM: f64 = 200.0;
const RAIN_TOP: f64 = 215.0;
const RAIN_BOTTOM: f64 = 275.0;
const HEIGHT: f64 = 295.0;

/// An SVG path through the values, lifting the pen over missing ones, so a gap shows as a gap.
pub fn line_path(values: impl Iterator<Item = Option<f64>>, y: impl Fn(f64) -> f64) -> String {
    let mut path = String::new();
    let mut pen_down = false;
    for (index, value) in values.enumerate() {
        match value {
            Some(v) => {
                let command = if pen_down { 'L' } else { 'M' };
                path.push_str(&format!("{command}{:.1},{:.1} ", x(index), y(v)));
                pen_down = true;
            }
            None => pen_down = false,
        }
    }
    path.trim_end().to_owned()
}

fn x(index: usize) -> f64 {
    LEFT + index as f64 * DAY_WIDTH + DAY_WIDTH / 2.0
}

/// The temperatures' range, widened to whole tens of degrees.
pub fn temperature_range(days: &[Day]) -> (f64, f64) {
    let values = days.iter().flat_map(|d| [d.tmax, d.tmin]).flatten();
    let (low, high) = values.fold((f64::MAX, f64::MIN), |(lo, hi), v| (lo.min(v), hi.max(v)));
    if low > high {
        return (0.0, 30.0);
    }
    (
        (low / 10.0).floor() * 10.0,
        ((high / 10.0).ceil() * 10.0).max(low + 10.0),
    )
}

/// What one day's values read as, for the hover and keyboard read-out.
pub fn day_text(day: &Day) -> String {
    let value = |v: Option<f64>, unit: &str| {
        v.map_or_else(|| "missing".to_owned(), |v| format!("{v:.1} {unit}"))
    };
    format!(
        "{}: maximum {}, minimum {}, precipitation {}",
        date_text(day),
        value(day.tmax, "°C"),
        value(day.tmin, "°C"),
        value(day.prcp, "mm")
    )
}

/// A year of daily weather: maximum and minimum temperature as lines, precipitation as bars.
/// Hovering a day, or moving along the days with the arrow keys, reads its values out.
#[component]
pub fn WeatherChart(weather: DailyWeather) -> impl IntoView {
    let days = weather.days;
    let width = LEFT + days.len() as f64 * DAY_WIDTH + 5.0;
    let (low, high) = temperature_range(&days);
    let temp_y = move |v: f64| TEMP_BOTTOM - (v - low) / (high - low) * (TEMP_BOTTOM - TEMP_TOP);
    let rain_max = days.iter().filter_map(|d| d.prcp).fold(1.0_f64, f64::max);
    let tmax = line_path(days.iter().map(|d| d.tmax), temp_y);
    let tmin = line_path(days.iter().map(|d| d.tmin), temp_y);
    let bars = days
        .iter()
        .filter_map(|d| d.prcp.filter(|&p| p > 0.0).map(|p| (d.index, p)))
        .map(|(index, p)| {
            let height = p / rain_max * (RAIN_BOTTOM - RAIN_TOP);
            view! { <rect class="rain" x={x(index) - DAY_WIDTH / 2.0} y={RAIN_BOTTOM - height} width={DAY_WIDTH - 0.5} height=height /> }
        })
        .collect_view();
    let ticks = (0..)
        .map(|step| low + f64::from(step) * 10.0)
        .take_while(|&t| t <= high)
        .map(|t| view! {
            <line class="grid" x1=LEFT x2=width y1={temp_y(t)} y2={temp_y(t)} />
            <text class="tick" x={LEFT - 4.0} y={temp_y(t) + 4.0} text-anchor="end">{format!("{t:.0}°")}</text>
        })
        .collect_view();
    let months = month_starts(weather.year)
        .into_iter()
        .map(|(at, name)| view! { <text class="tick" x={x(at)} y={HEIGHT - 4.0}>{name}</text> })
        .collect_view();
    let count = days.len();
    let selected = RwSignal::new(None::<usize>);
    let hovers = days
        .iter()
        .map(|d| {
            let index = d.index;
            view! { <rect class="hover" x={x(index) - DAY_WIDTH / 2.0} y=0 width=DAY_WIDTH height=HEIGHT on:mouseenter=move |_| selected.set(Some(index)) /> }
        })
        .collect_view();
    let on_key = move |event: KeyboardEvent| {
        let step: isize = match event.key().as_str() {
            "ArrowRight" => 1,
            "ArrowLeft" => -1,
            _ => return,
        };
        event.prevent_default();
        let from = selected.get().map_or(0, |i| i as isize);
        let next = (from + step).clamp(0, count as isize - 1);
        selected.set(Some(next as usize));
    };
    let readout_days = days.clone();
    view! {
        <div
            class="chart"
            tabindex="0"
            role="group"
            aria-label="Daily weather chart: use the left and right arrow keys to read each day's values"
            on:keydown=on_key
            on:mouseleave=move |_| selected.set(None)
        >
            <svg viewBox=format!("0 0 {width} {HEIGHT}") aria-hidden="true" data-testid="weather-chart">
                {ticks}
                <line class="axis" x1=LEFT x2=width y1=RAIN_BOTTOM y2=RAIN_BOTTOM />
                {bars}
                <path class="tmax" d=tmax />
                <path class="tmin" d=tmin />
                {months}
                {move || selected.get().map(|i| view! { <line class="cursor" x1={x(i)} x2={x(i)} y1=0 y2=RAIN_BOTTOM /> })}
                {hovers}
            </svg>
            <p class="readout" aria-live="polite" data-testid="chart-readout">
                {move || selected.get().and_then(|i| readout_days.get(i)).map_or_else(
                    || "Hover over the chart, or focus it and use the arrow keys, to read a day's values.".to_owned(),
                    day_text,
                )}
            </p>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_value_lifts_the_pen() {
        let path = line_path([Some(1.0), Some(2.0), None, Some(3.0)].into_iter(), |v| v);
        assert_eq!(path, "M41.5,1.0 L44.5,2.0 M50.5,3.0");
    }

    #[test]
    fn the_range_covers_every_value_in_whole_tens() {
        let weather = DailyWeather::parse(2013, "DATE,PRCP,TMAX,TMIN\n20130101,0,123,-41\n");
        assert_eq!(temperature_range(&weather.days), (-10.0, 20.0));
        assert_eq!(
            temperature_range(&DailyWeather::parse(2013, "").days),
            (0.0, 30.0)
        );
        let day = weather.days[0];
        assert_eq!(
            day_text(&day),
            "1 Jan: maximum 12.3 °C, minimum -4.1 °C, precipitation 0.0 mm"
        );
        assert!(day_text(&weather.days[1]).ends_with("precipitation missing"));
    }
}
