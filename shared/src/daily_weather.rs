//! A year of a station's daily weather, read from one of its CSV files
//! (`DATE,PRCP,TMAX,TMIN`, the values in tenths): for the landing page's preview and the graph
//! service's charts. Nothing in a file stops the reading: a row that cannot be read is counted and
//! left out, and a column the file lacks is named.
//!
//! Values stay whole tenths, as in the files: the web app then needs no floating-point parsing
//! or formatting code, which would weigh on its download.

/// One day of the year; `None` where the file has no value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Day {
    /// 0 for 1 January.
    pub index: usize,
    pub month: u32,
    pub day: u32,
    /// Tenths of °C.
    pub tmax: Option<i32>,
    /// Tenths of °C.
    pub tmin: Option<i32>,
    /// Tenths of mm.
    pub prcp: Option<i32>,
}

impl Day {
    /// Whether the day has a temperature to draw.
    pub fn observed(&self) -> bool {
        self.tmax.is_some() || self.tmin.is_some()
    }
}

/// The columns a station-year file may have besides `DATE`.
pub const VARIABLES: [&str; 3] = ["PRCP", "TMAX", "TMIN"];

/// Every day of one year, those the file lacks included (with no values).
#[derive(Debug, Clone, PartialEq)]
pub struct DailyWeather {
    pub year: i32,
    pub days: Vec<Day>,
    /// Rows left out: no date of this year, or a value that is not a whole number.
    pub malformed_rows: usize,
    /// The [`VARIABLES`] the file has no column for.
    pub absent_columns: Vec<&'static str>,
}

impl DailyWeather {
    /// Reads a year's file; rows of other years and unreadable rows count as missing days.
    pub fn parse(year: i32, csv: &str) -> Self {
        let mut days = calendar(year);
        let mut lines = csv.lines().filter(|line| !line.trim().is_empty());
        let header: Vec<&str> = lines.next().unwrap_or_default().split(',').collect();
        let column = |name: &str| header.iter().position(|h| h.trim() == name);
        let (date, prcp, tmax, tmin) = (
            column("DATE"),
            column("PRCP"),
            column("TMAX"),
            column("TMIN"),
        );
        let absent_columns = VARIABLES
            .into_iter()
            .zip([prcp, tmax, tmin])
            .filter_map(|(name, at)| at.is_none().then_some(name))
            .collect();
        let mut malformed_rows = 0;
        for line in lines {
            let fields: Vec<&str> = line.split(',').collect();
            // An empty field is a value the station did not record; anything else must be a number.
            let value = |at: Option<usize>| -> Result<Option<i32>, ()> {
                match at.and_then(|i| fields.get(i)).map(|text| text.trim()) {
                    None | Some("") => Ok(None),
                    Some(text) => text.parse().map(Some).map_err(|_| ()),
                }
            };
            let index = date
                .and_then(|i| fields.get(i))
                .and_then(|text| day_index(year, text.trim()));
            let (Some(index), Ok(tmax), Ok(tmin), Ok(prcp)) =
                (index, value(tmax), value(tmin), value(prcp))
            else {
                malformed_rows += 1;
                continue;
            };
            if let Some(day) = days.get_mut(index) {
                day.tmax = tmax;
                day.tmin = tmin;
                day.prcp = prcp;
            }
        }
        Self {
            year,
            days,
            malformed_rows,
            absent_columns,
        }
    }

    /// Days with a temperature: the points drawn.
    pub fn observed_days(&self) -> usize {
        self.days.iter().filter(|d| d.observed()).count()
    }

    /// Days of the year without a temperature: the gaps.
    pub fn missing_days(&self) -> usize {
        self.days.len() - self.observed_days()
    }

    /// Whether any day has precipitation.
    pub fn has_precipitation(&self) -> bool {
        self.days.iter().any(|d| d.prcp.is_some())
    }
}

/// Tenths as a decimal: `-41` → "-4.1".
pub fn tenths_text(tenths: i32) -> String {
    let sign = if tenths < 0 { "-" } else { "" };
    let magnitude = tenths.unsigned_abs();
    format!("{sign}{}.{}", magnitude / 10, magnitude % 10)
}

/// "23 days missing", "1 day missing", "No day missing".
pub fn missing_text(missing: usize) -> String {
    match missing {
        0 => "No day missing".to_owned(),
        1 => "1 day missing".to_owned(),
        n => format!("{n} days missing"),
    }
}

const MONTH_NAMES: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// "14 Mar".
pub fn date_text(day: &Day) -> String {
    let month = MONTH_NAMES
        .get(day.month as usize - 1)
        .copied()
        .unwrap_or("");
    format!("{} {month}", day.day)
}

/// The first day of each month, as its index in the year, with the month's short name.
pub fn month_starts(year: i32) -> Vec<(usize, &'static str)> {
    let mut start = 0;
    (1..=12)
        .map(|month| {
            let at = start;
            start += days_in_month(year, month) as usize;
            (at, MONTH_NAMES[month as usize - 1])
        })
        .collect()
}

fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

fn calendar(year: i32) -> Vec<Day> {
    (1..=12)
        .flat_map(|month| (1..=days_in_month(year, month)).map(move |day| (month, day)))
        .enumerate()
        .map(|(index, (month, day))| Day {
            index,
            month,
            day,
            tmax: None,
            tmin: None,
            prcp: None,
        })
        .collect()
}

/// `20130314` → its index in `year`, if it is a day of that year.
fn day_index(year: i32, date: &str) -> Option<usize> {
    if date.len() != 8 || date[..4].parse::<i32>().ok()? != year {
        return None;
    }
    let month: u32 = date[4..6].parse().ok()?;
    let day: u32 = date[6..8].parse().ok()?;
    if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
        return None;
    }
    let before: u32 = (1..month).map(|m| days_in_month(year, m)).sum();
    Some((before + day - 1) as usize)
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "DATE,PRCP,TMAX,TMIN\n20120101,0,128,50\n20120102,109,106,28\n20120229,,-5,\n20120301,x,,\n20130101,1,1,1\n";

    #[test]
    fn values_are_read_in_tenths_and_absent_days_are_gaps() {
        let weather = DailyWeather::parse(2012, FILE);
        assert_eq!(weather.days.len(), 366, "a leap year");
        let first = weather.days[0];
        assert_eq!(
            (first.tmax, first.tmin, first.prcp),
            (Some(128), Some(50), Some(0))
        );
        assert_eq!(weather.days[1].prcp, Some(109));
        let leap_day = weather.days[59];
        assert_eq!((leap_day.month, leap_day.day), (2, 29));
        assert_eq!(
            (leap_day.tmax, leap_day.tmin, leap_day.prcp),
            (Some(-5), None, None)
        );
        // 1 March's row has a precipitation that is not a number; 2013's row is not of this year.
        assert_eq!(weather.observed_days(), 3);
        assert_eq!(weather.missing_days(), 363);
        assert_eq!(weather.malformed_rows, 2);
        assert!(weather.absent_columns.is_empty());
        assert!(weather.has_precipitation());
    }

    #[test]
    fn a_file_without_a_column_names_it_and_broken_rows_are_counted() {
        let weather =
            DailyWeather::parse(2016, "DATE,TMAX\n20160101,22\nnot a row\n20161301,5\n\n");
        assert_eq!(weather.absent_columns, ["PRCP", "TMIN"]);
        assert_eq!(
            weather.malformed_rows, 2,
            "a row without a date, and one of a 13th month"
        );
        assert_eq!(weather.days[0].tmax, Some(22));
    }

    #[test]
    fn a_station_without_precipitation_says_so() {
        let weather = DailyWeather::parse(2016, "DATE,PRCP,TMAX,TMIN\n20160101,,22,-94\n");
        assert!(!weather.has_precipitation());
        assert_eq!(weather.malformed_rows, 0);
        assert_eq!(weather.days[0].tmin, Some(-94));
    }

    #[test]
    fn tenths_read_as_decimals() {
        assert_eq!(tenths_text(128), "12.8");
        assert_eq!(tenths_text(-5), "-0.5");
        assert_eq!(tenths_text(-41), "-4.1");
        assert_eq!(tenths_text(0), "0.0");
    }

    #[test]
    fn missing_days_are_told_in_words() {
        assert_eq!(missing_text(0), "No day missing");
        assert_eq!(missing_text(1), "1 day missing");
        assert_eq!(missing_text(23), "23 days missing");
    }

    #[test]
    fn months_start_where_the_calendar_says() {
        let starts = month_starts(2013);
        assert_eq!(starts[1], (31, "Feb"));
        assert_eq!(starts[2], (59, "Mar"));
        assert_eq!(month_starts(2012)[2], (60, "Mar"));
        assert_eq!(date_text(&DailyWeather::parse(2013, "").days[72]), "14 Mar");
    }
}
