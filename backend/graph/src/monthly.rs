//! What the charts of a station-year show, month by month: the total precipitation, the mean
//! daily high and low, and the distribution of the daily highs (the box plot's five numbers);
//! with, for each, how many days had no value, so that a chart can say so. Values stay in the
//! files' tenths (of mm, of °C); the charts convert them.

use mrdp_shared::daily_weather::{DailyWeather, Day};

/// The five numbers of a box plot, in tenths; quartiles interpolated between the closest ranks
/// (as NumPy's and R's defaults do).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Distribution {
    pub min: f64,
    pub q1: f64,
    pub median: f64,
    pub q3: f64,
    pub max: f64,
}

/// One month of a station-year.
#[derive(Debug, Clone, PartialEq)]
pub struct Month {
    /// 1 for January.
    pub month: u32,
    /// Days in the month.
    pub days: usize,
    /// Tenths of mm over the days with a value; `None` when no day has one.
    pub precipitation: Option<i64>,
    /// Tenths of °C.
    pub mean_high: Option<f64>,
    pub mean_low: Option<f64>,
    pub highs: Option<Distribution>,
    /// Days without a value, for each variable.
    pub missing_precipitation: usize,
    pub missing_highs: usize,
    pub missing_lows: usize,
}

/// The value at fraction `at` (0 to 1) of `sorted`, interpolated between its two closest ranks.
fn quantile(sorted: &[f64], at: f64) -> f64 {
    let position = at * (sorted.len() - 1) as f64;
    let (below, above) = (position.floor() as usize, position.ceil() as usize);
    let weight = position - below as f64;
    sorted[below] + (sorted[above] - sorted[below]) * weight
}

/// The box plot's numbers of `values`; `None` when there are none.
pub fn distribution(values: &[i32]) -> Option<Distribution> {
    let mut sorted: Vec<f64> = values.iter().map(|v| f64::from(*v)).collect();
    if sorted.is_empty() {
        return None;
    }
    sorted.sort_by(f64::total_cmp);
    Some(Distribution {
        min: sorted[0],
        q1: quantile(&sorted, 0.25),
        median: quantile(&sorted, 0.5),
        q3: quantile(&sorted, 0.75),
        max: sorted[sorted.len() - 1],
    })
}

fn mean(values: &[i32]) -> Option<f64> {
    (!values.is_empty())
        .then(|| values.iter().map(|v| f64::from(*v)).sum::<f64>() / values.len() as f64)
}

/// The values a month's days have of one variable.
fn present(days: &[&Day], of: impl Fn(&Day) -> Option<i32>) -> Vec<i32> {
    days.iter().filter_map(|day| of(day)).collect()
}

/// The twelve months of `weather`.
pub fn monthly(weather: &DailyWeather) -> Vec<Month> {
    (1..=12)
        .map(|month| {
            let days: Vec<&Day> = weather.days.iter().filter(|d| d.month == month).collect();
            let rain = present(&days, |d| d.prcp);
            let highs = present(&days, |d| d.tmax);
            let lows = present(&days, |d| d.tmin);
            Month {
                month,
                days: days.len(),
                precipitation: (!rain.is_empty()).then(|| rain.iter().map(|v| i64::from(*v)).sum()),
                mean_high: mean(&highs),
                mean_low: mean(&lows),
                highs: distribution(&highs),
                missing_precipitation: days.len() - rain.len(),
                missing_highs: days.len() - highs.len(),
                missing_lows: days.len() - lows.len(),
            }
        })
        .collect()
}

/// A station-year as a whole: what the multi-year charts show.
#[derive(Debug, Clone, PartialEq)]
pub struct Annual {
    pub year: i32,
    /// Tenths of mm over the days with a value; `None` when no day has one.
    pub precipitation: Option<i64>,
    /// Tenths of °C, over the days with a value.
    pub mean_high: Option<f64>,
    pub mean_low: Option<f64>,
    /// Days without a high or without a low.
    pub days_missing: usize,
}

/// The year of `weather` as a whole.
pub fn annual(weather: &DailyWeather) -> Annual {
    let days: Vec<&Day> = weather.days.iter().collect();
    let rain = present(&days, |d| d.prcp);
    Annual {
        year: weather.year,
        precipitation: (!rain.is_empty()).then(|| rain.iter().map(|v| i64::from(*v)).sum()),
        mean_high: mean(&present(&days, |d| d.tmax)),
        mean_low: mean(&present(&days, |d| d.tmin)),
        days_missing: days
            .iter()
            .filter(|d| d.tmax.is_none() || d.tmin.is_none())
            .count(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quartiles_interpolate_between_the_closest_ranks() {
        let five = distribution(&[7, 1, 3, 5, 9]).unwrap();
        assert_eq!(
            (five.min, five.q1, five.median, five.q3, five.max),
            (1.0, 3.0, 5.0, 7.0, 9.0)
        );
        // 1 2 3 4: the quartiles at ranks 0.75, 1.5 and 2.25.
        let four = distribution(&[4, 3, 2, 1]).unwrap();
        assert_eq!((four.q1, four.median, four.q3), (1.75, 2.5, 3.25));
        assert_eq!(distribution(&[]), None);
        let one = distribution(&[-12]).unwrap();
        assert_eq!((one.min, one.median, one.max), (-12.0, -12.0, -12.0));
    }

    #[test]
    fn a_year_adds_its_days_up() {
        let weather = DailyWeather::parse(
            2016,
            "DATE,PRCP,TMAX,TMIN\n20160101,5,22,-94\n20160702,7,30,\n",
        );
        let year = annual(&weather);
        assert_eq!(
            (
                year.precipitation,
                year.mean_high,
                year.mean_low,
                year.days_missing
            ),
            (Some(12), Some(26.0), Some(-94.0), 365)
        );
    }

    #[test]
    fn a_month_without_values_has_none_and_counts_its_days_missing() {
        let weather = DailyWeather::parse(
            2016,
            "DATE,PRCP,TMAX,TMIN\n20160101,5,22,-94\n20160102,,30,\n",
        );
        let months = monthly(&weather);
        let january = &months[0];
        assert_eq!(january.precipitation, Some(5));
        assert_eq!(january.mean_high, Some(26.0));
        assert_eq!(january.mean_low, Some(-94.0));
        assert_eq!(
            (
                january.missing_precipitation,
                january.missing_highs,
                january.missing_lows
            ),
            (30, 29, 30)
        );
        let february = &months[1];
        assert_eq!(
            (february.days, february.precipitation, february.highs),
            (29, None, None)
        );
    }
}
