//! The three charts of a station-year: SVG documents with their titles, axis labels and units,
//! a bar per month with precipitation, twelve boxes, and a note of what is missing.

use crate::station_year;
use mrdp_graph::charts::station_year as charts_of;
use mrdp_shared::daily_weather::DailyWeather;

/// The texts of the SVG's `<text>` elements, in order.
fn texts(svg: &str) -> Vec<String> {
    svg.split("</text>")
        .filter_map(|piece| {
            piece
                .rsplit_once('>')
                .map(|(_, text)| text.trim().to_owned())
        })
        .filter(|text| !text.is_empty())
        .collect()
}

/// The PNG's size, and how many of its pixels in rows `rows` are dark (text, axes, lines).
fn dark_pixels(png: &[u8], rows: std::ops::Range<usize>) -> ((u32, u32), usize) {
    let mut reader = png::Decoder::new(std::io::Cursor::new(png))
        .read_info()
        .unwrap();
    let mut rgb = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut rgb).unwrap();
    assert_eq!(info.color_type, png::ColorType::Rgb);
    let width = info.width as usize;
    let dark = rgb
        .chunks(3)
        .enumerate()
        .filter(|(at, _)| rows.contains(&(at / width)))
        .filter(|(_, pixel)| pixel.iter().all(|&c| c < 100))
        .count();
    ((info.width, info.height), dark)
}

/// How many times `needle` occurs in `svg`.
fn count(svg: &str, needle: &str) -> usize {
    svg.matches(needle).count()
}

#[test]
fn seattle_2012_has_three_labelled_charts_with_a_bar_and_a_box_per_month() {
    let weather = DailyWeather::parse(2012, &station_year("sea", 2012));
    let charts = charts_of("SEA", &weather).unwrap();
    let names: Vec<&str> = charts.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "SEA-2012-precipitation",
            "SEA-2012-temperature",
            "SEA-2012-high-distribution"
        ]
    );
    for chart in &charts {
        assert!(chart.svg.starts_with("<svg"), "{}", chart.name);
        assert!(chart.svg.trim_end().ends_with("</svg>"), "{}", chart.name);
        let words = texts(&chart.svg);
        for label in ["Jan", "Jun", "Dec", "Month"] {
            assert!(
                words.iter().any(|w| w == label),
                "{}: {label} in {words:?}",
                chart.name
            );
        }
    }
    for chart in &charts {
        // The same chart as PNG, its title set in the shipped font (dark pixels at the top).
        let (size, title) = dark_pixels(&chart.png, 0..40);
        assert_eq!(size, (800, 480), "{}", chart.name);
        assert!(
            title > 200,
            "{}: the title is drawn ({title} dark pixels)",
            chart.name
        );
    }
    let [rain, temperature, highs] = [&charts[0].svg, &charts[1].svg, &charts[2].svg];
    assert!(rain.contains("SEA 2012: monthly precipitation"));
    assert!(rain.contains("Precipitation (mm)"));
    assert_eq!(count(rain, "fill=\"#5DADE2\""), 12, "a bar for each month");
    assert!(rain.contains("Every day has a precipitation value."));
    assert!(temperature.contains("Temperature (°C)"));
    assert_eq!(
        count(temperature, "<circle"),
        24,
        "a high and a low for each month"
    );
    assert!(highs.contains("Daily high (°C)"));
    assert_eq!(count(highs, "opacity=\"0.25\""), 12, "a box for each month");
}

#[test]
fn clemson_1962_says_it_has_no_precipitation_and_counts_its_gaps() {
    let weather = DailyWeather::parse(1962, &station_year("ceu", 1962));
    let charts = charts_of("CEU", &weather).unwrap();
    let rain = &charts[0].svg;
    assert!(rain.contains("No precipitation is recorded at this station for this year."));
    assert_eq!(count(rain, "fill=\"#5DADE2\""), 0);
    let missing: usize = weather.days.iter().filter(|d| d.tmax.is_none()).count();
    assert!(
        charts[2]
            .svg
            .contains(&format!("{missing} days have no high value.")),
        "{missing} days without a high"
    );
}

#[test]
fn a_station_trends_over_its_years_and_stations_compare_variable_by_variable() {
    let years = |station: &str| -> Vec<DailyWeather> {
        [2012, 2013]
            .map(|year| DailyWeather::parse(year, &station_year(station, year)))
            .into()
    };
    let trend = mrdp_graph::charts::trend("SEA", &years("sea")).unwrap();
    assert_eq!(trend.name, "SEA-2012-2013-trend");
    let words = texts(&trend.svg);
    assert!(words.iter().any(|w| w == "2012") && words.iter().any(|w| w == "2013"));
    assert!(words.iter().any(|w| w == "Year"), "{words:?}");
    assert_eq!(
        count(&trend.svg, "<circle"),
        4,
        "a high and a low for each year"
    );

    let stations = [("SEA", years("sea")), ("CEU", years("ceu"))];
    let charts = mrdp_graph::charts::comparison(&stations).unwrap();
    let names: Vec<&str> = charts.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "SEA-CEU-2012-2013-precipitation",
            "SEA-CEU-2012-2013-high",
            "SEA-CEU-2012-2013-low"
        ]
    );
    let rain = &charts[0].svg;
    assert!(
        texts(rain)
            .iter()
            .any(|w| w == "No annual precipitation is recorded for CEU.")
    );
    assert_eq!(count(rain, "<circle"), 2, "SEA's two years only");
    for chart in &charts[1..] {
        assert_eq!(count(&chart.svg, "<circle"), 4, "{}", chart.name);
        let legend = texts(&chart.svg);
        assert!(legend.iter().any(|w| w == "SEA") && legend.iter().any(|w| w == "CEU"));
    }
}
