//! The monthly aggregates of real station-years of the demo catalog, against values this test
//! computes on its own from the CSV (its own reading of the rows, sums and a median by sorting),
//! not through `DailyWeather` or `monthly`.

use crate::station_year;
use mrdp_graph::monthly::monthly;
use mrdp_shared::daily_weather::DailyWeather;

/// Per month (0 for January): the precipitation values, the highs and the lows the file has.
fn by_month(csv: &str) -> [(Vec<i64>, Vec<i64>, Vec<i64>); 12] {
    let mut months: [(Vec<i64>, Vec<i64>, Vec<i64>); 12] = Default::default();
    for row in csv.lines().skip(1) {
        let cells: Vec<&str> = row.split(',').collect();
        let month: usize = cells[0][4..6].parse().unwrap();
        let (rain, highs, lows) = &mut months[month - 1];
        for (cell, into) in [(cells[1], rain), (cells[2], highs), (cells[3], lows)] {
            if !cell.is_empty() {
                into.push(cell.parse().unwrap());
            }
        }
    }
    months
}

fn median(values: &[i64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_unstable();
    let middle = sorted.len() / 2;
    if sorted.len() % 2 == 1 {
        sorted[middle] as f64
    } else {
        (sorted[middle - 1] + sorted[middle]) as f64 / 2.0
    }
}

fn mean(values: &[i64]) -> f64 {
    values.iter().sum::<i64>() as f64 / values.len() as f64
}

#[test]
fn seattles_2012_months_add_up_as_the_file_says() {
    let csv = station_year("sea", 2012);
    let expected = by_month(&csv);
    let months = monthly(&DailyWeather::parse(2012, &csv));
    assert_eq!(months.len(), 12);
    for (month, (rain, highs, lows)) in months.iter().zip(&expected) {
        let name = month.month;
        assert_eq!(month.precipitation, Some(rain.iter().sum()), "month {name}");
        assert!(
            (month.mean_high.unwrap() - mean(highs)).abs() < 1e-9,
            "month {name}"
        );
        assert!(
            (month.mean_low.unwrap() - mean(lows)).abs() < 1e-9,
            "month {name}"
        );
        let box_plot = month.highs.unwrap();
        assert_eq!(box_plot.median, median(highs), "month {name}");
        assert_eq!(box_plot.min, *highs.iter().min().unwrap() as f64);
        assert_eq!(box_plot.max, *highs.iter().max().unwrap() as f64);
        assert!(box_plot.min <= box_plot.q1 && box_plot.q1 <= box_plot.median);
        assert!(box_plot.median <= box_plot.q3 && box_plot.q3 <= box_plot.max);
        assert_eq!(
            month.missing_highs,
            month.days - highs.len(),
            "month {name}"
        );
    }
    // A sanity check on the data itself: Seattle's wettest month of 2012 is not July.
    let wettest = months.iter().max_by_key(|m| m.precipitation).unwrap();
    assert_ne!(wettest.month, 7);
}

#[test]
fn clemsons_1962_has_no_precipitation_and_its_gaps_are_counted() {
    let csv = station_year("ceu", 1962);
    let weather = DailyWeather::parse(1962, &csv);
    let expected = by_month(&csv);
    let months = monthly(&weather);
    assert!(months.iter().all(|m| m.precipitation.is_none()));
    assert!(months.iter().all(|m| m.missing_precipitation == m.days));
    let missing_highs: usize = months.iter().map(|m| m.missing_highs).sum();
    let recorded_highs: usize = expected.iter().map(|(_, highs, _)| highs.len()).sum();
    assert_eq!(missing_highs, 365 - recorded_highs);
    assert_eq!(weather.malformed_rows, 0);
}
