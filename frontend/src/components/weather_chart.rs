use leptos::ev::KeyboardEvent;
use leptos::prelude::*;
use mrdp_shared::daily_weather::{DailyWeather, Day, date_text, month_starts, tenths_text};

/// Drawing units, whole numbers (no floating-point formatting in the web app): one day is
/// `DAY_WIDTH` wide; the SVG scales to the page's width.
const DAY_WIDTH: i32 = 6;
const LEFT: i32 = 80;
/// Temperatures are drawn between these heights, precipitation below.
const TEMP_TOP: i32 = 20;
const TEMP_BOTTOM: i32 = 400;
const RAIN_TOP: i32 = 430;
const RAIN_BOTTOM: i32 = 550;
const HEIGHT: i32 = 590;

/// An SVG path through the values, lifting the pen over missing ones, so a gap shows as a gap.
pub fn line_path(values: impl Iterator<Item = Option<i32>>, y: impl Fn(i32) -> i32) -> String {
    let mut path = String::new();
    let mut pen_down = false;
    for (index, value) in values.enumerate() {
        match value {
            Some(v) => {
                let command = if pen_down { 'L' } else { 'M' };
                path.push_str(&format!("{command}{},{} ", x(index), y(v)));
                pen_down = true;
            }
            None => pen_down = false,
        }
    }
    path.trim_end().to_owned()
}

fn x(index: usize) -> i32 {
    LEFT + i32::try_from(index).unwrap_or(i32::MAX / 8) * DAY_WIDTH + DAY_WIDTH / 2
}

/// The temperatures' range in tenths of °C, widened to whole tens of degrees.
pub fn temperature_range(days: &[Day]) -> (i32, i32) {
    let values = days.iter().flat_map(|d| [d.tmax, d.tmin]).flatten();
    let (low, high) = values.fold((i32::MAX, i32::MIN), |(lo, hi), v| (lo.min(v), hi.max(v)));
    if low > high {
        return (0, 300);
    }
    let low = low.div_euclid(100) * 100;
    (low, ((high + 99).div_euclid(100) * 100).max(low + 100))
}

/// What one day's values read as, for the hover and keyboard read-out.
pub fn day_text(day: &Day) -> String {
    let value = |v: Option<i32>, unit: &str| {
        v.map_or_else(
            || "missing".to_owned(),
            |v| format!("{} {unit}", tenths_text(v)),
        )
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
/// Hovering a day, or moving along the days with the arrow keys (Home and End for the first and
/// last), reads its values out.
#[component]
pub fn WeatherChart(weather: DailyWeather) -> impl IntoView {
    let days = weather.days;
    let width = x(days.len()) + DAY_WIDTH;
    let (low, high) = temperature_range(&days);
    let temp_y = move |v: i32| TEMP_BOTTOM - (v - low) * (TEMP_BOTTOM - TEMP_TOP) / (high - low);
    let rain_max = days.iter().filter_map(|d| d.prcp).fold(1, i32::max);
    let tmax = line_path(days.iter().map(|d| d.tmax), temp_y);
    let tmin = line_path(days.iter().map(|d| d.tmin), temp_y);
    let bars = days
        .iter()
        .filter_map(|d| d.prcp.filter(|&p| p > 0).map(|p| (d.index, p)))
        .map(|(index, p)| {
            let height = (p * (RAIN_BOTTOM - RAIN_TOP) / rain_max).max(1);
            view! { <rect class="rain" x={x(index) - DAY_WIDTH / 2} y={RAIN_BOTTOM - height} width={DAY_WIDTH - 1} height=height /> }
        })
        .collect_view();
    let ticks = (low..=high)
        .step_by(100)
        .map(|t| view! {
            <line class="grid" x1=LEFT x2=width y1={temp_y(t)} y2={temp_y(t)} />
            <text class="tick" x={LEFT - 8} y={temp_y(t) + 8} text-anchor="end">{format!("{}°", t / 10)}</text>
        })
        .collect_view();
    let months = month_starts(weather.year)
        .into_iter()
        .map(|(at, name)| view! { <text class="tick" x={x(at)} y={HEIGHT - 8}>{name}</text> })
        .collect_view();
    let count = days.len();
    let selected = RwSignal::new(None::<usize>);
    let hovers = days
        .iter()
        .map(|d| {
            let index = d.index;
            view! { <rect class="hover" x={x(index) - DAY_WIDTH / 2} y=0 width=DAY_WIDTH height=HEIGHT on:mouseenter=move |_| selected.set(Some(index)) /> }
        })
        .collect_view();
    let on_key = move |event: KeyboardEvent| {
        let next = match (event.key().as_str(), selected.get()) {
            ("Home", _) | ("ArrowRight" | "ArrowLeft", None) => 0,
            ("End", _) => count.saturating_sub(1),
            ("ArrowRight", Some(i)) => (i + 1).min(count.saturating_sub(1)),
            ("ArrowLeft", Some(i)) => i.saturating_sub(1),
            _ => return,
        };
        event.prevent_default();
        selected.set(Some(next));
    };
    let readout_days = days.clone();
    view! {
        <div
            class="chart"
            tabindex="0"
            role="group"
            aria-label="Daily weather chart: use the left and right arrow keys, Home and End to read each day's values"
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
        let path = line_path([Some(1), Some(2), None, Some(3)].into_iter(), |v| v);
        assert_eq!(path, "M83,1 L89,2 M101,3");
    }

    #[test]
    fn the_range_covers_every_value_in_whole_tens_of_degrees() {
        let weather = DailyWeather::parse(2013, "DATE,PRCP,TMAX,TMIN\n20130101,0,123,-41\n");
        assert_eq!(temperature_range(&weather.days), (-100, 200));
        assert_eq!(
            temperature_range(&DailyWeather::parse(2013, "").days),
            (0, 300)
        );
        let day = weather.days[0];
        assert_eq!(
            day_text(&day),
            "1 Jan: maximum 12.3 °C, minimum -4.1 °C, precipitation 0.0 mm"
        );
        assert!(day_text(&weather.days[1]).ends_with("precipitation missing"));
    }
}
