//! A job's charts, drawn from the station-years it read: the charts its plan asks for, and a
//! note of everything the data lacked (malformed rows, absent variables, missing days), so that
//! the result says what the charts cannot show.

use crate::catalog::Plan;
use crate::charts::{self, Chart, ChartError};
use mrdp_shared::ChartKind;
use mrdp_shared::daily_weather::{DailyWeather, missing_text};

/// A chart with the kind it is.
#[derive(Debug, Clone)]
pub struct Drawn {
    pub kind: ChartKind,
    pub chart: Chart,
}

/// The charts of station-year `index` of `plan` that the plan asks for.
pub fn draw_station_year(
    plan: &Plan,
    index: usize,
    weather: &DailyWeather,
) -> Result<Vec<Drawn>, ChartError> {
    let wanted: Vec<ChartKind> = ChartKind::STATION_YEAR
        .into_iter()
        .filter(|kind| plan.charts.contains(kind))
        .collect();
    let Some(input) = plan.inputs.get(index).filter(|_| !wanted.is_empty()) else {
        return Ok(Vec::new());
    };
    let three = charts::station_year(&input.station, weather)?;
    Ok(ChartKind::STATION_YEAR
        .into_iter()
        .zip(three)
        .filter(|(kind, _)| wanted.contains(kind))
        .map(|(kind, chart)| Drawn { kind, chart })
        .collect())
}

/// The charts across years and stations that the plan asks for (`weather[i]` is the station-year
/// `plan.inputs[i]`): a trend per station, a comparison per variable.
pub fn draw_across(plan: &Plan, weather: &[DailyWeather]) -> Result<Vec<Drawn>, ChartError> {
    let stations = by_station(plan, weather);
    let mut drawn = Vec::new();
    if plan.charts.contains(&ChartKind::Trend) {
        for (station, years) in &stations {
            let chart = charts::trend(station, years)?;
            drawn.push(Drawn {
                kind: ChartKind::Trend,
                chart,
            });
        }
    }
    if plan.charts.contains(&ChartKind::Comparison) {
        for chart in charts::comparison(&stations)? {
            drawn.push(Drawn {
                kind: ChartKind::Comparison,
                chart,
            });
        }
    }
    Ok(drawn)
}

/// The station-years grouped by station, in the plan's order.
fn by_station<'a>(plan: &'a Plan, weather: &[DailyWeather]) -> Vec<(&'a str, Vec<DailyWeather>)> {
    let mut stations: Vec<(&str, Vec<DailyWeather>)> = Vec::new();
    for (input, year) in plan.inputs.iter().zip(weather) {
        match stations.last_mut() {
            Some((station, years)) if *station == input.station => years.push(year.clone()),
            _ => stations.push((&input.station, vec![year.clone()])),
        }
    }
    stations
}

/// What each station-year lacked, one line each (none for a complete one).
pub fn notes(plan: &Plan, weather: &[DailyWeather]) -> Vec<String> {
    plan.inputs
        .iter()
        .zip(weather)
        .filter_map(|(input, year)| {
            let mut lacks = Vec::new();
            if year.missing_days() > 0 {
                lacks.push(missing_text(year.missing_days()).to_lowercase());
            }
            if !year.has_precipitation() {
                lacks.push("no precipitation recorded".to_owned());
            }
            if !year.absent_columns.is_empty() {
                lacks.push(format!("no {} column", year.absent_columns.join(", ")));
            }
            match year.malformed_rows {
                0 => {}
                1 => lacks.push("1 malformed row left out".to_owned()),
                n => lacks.push(format!("{n} malformed rows left out")),
            }
            (!lacks.is_empty())
                .then(|| format!("{} {}: {}", input.station, input.year, lacks.join("; ")))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::StationYear;

    fn input(station: &str, year: i32) -> StationYear {
        StationYear {
            dataset: station.to_lowercase(),
            station: station.to_owned(),
            year,
            path: String::new(),
        }
    }

    #[test]
    fn what_a_station_year_lacks_is_said_in_one_line() {
        let plan = Plan {
            inputs: vec![input("LNK", 2014), input("SEA", 2012)],
            charts: vec![ChartKind::Precipitation],
        };
        let lacking = DailyWeather::parse(2014, "DATE,TMAX,TMIN\n20140101,10,2\n20140102,x,1\n");
        let mut csv = String::from("DATE,PRCP,TMAX,TMIN\n");
        for day in 1..=366 {
            let date = time::Date::from_ordinal_date(2012, day).unwrap();
            let (month, day) = (u8::from(date.month()), date.day());
            csv.push_str(&format!("2012{month:02}{day:02},0,10,2\n"));
        }
        let complete = DailyWeather::parse(2012, &csv);
        let notes = notes(&plan, &[lacking, complete]);
        assert_eq!(
            notes,
            [
                "LNK 2014: 364 days missing; no precipitation recorded; no PRCP column; 1 malformed row left out"
            ]
        );
    }
}
