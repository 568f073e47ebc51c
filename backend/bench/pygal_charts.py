"""The baseline of the graph service's charts: the sample portal's three charts of a station-year,
drawn by the sample portal's chart library (pygal 3.1.3, pinned in compat/requirements.txt).

Usage: pygal_charts.py <station-year csv> <year> <runs>

The CSV is a catalog file (data/climate/<station>/<year>.csv): `DATE,PRCP,TMAX,TMIN`, the date as
YYYYMMDD, the values in tenths (of mm, of °C), an empty field where a day has no value (skipped).
The charts are those of backend/graph/src/charts/station_year.rs: the monthly total precipitation
(bars), the average daily high and low of each month (two lines), and the distribution of each
month's daily highs (box plots, whiskers to the lowest and highest). One set is: read the CSV,
render the three charts as SVG strings. `runs` sets are timed, in wall and CPU time, and one JSON
line printed: {"runs", "wall_seconds_per_set", "cpu_seconds_per_set", "svg_bytes" (of one set)}.
"""

import csv
import json
import sys
import time
from pathlib import Path

import pygal

MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
# The size of the graph service's charts.
SIZE = {"width": 800, "height": 480}


def read_months(path, year):
    """Each month's precipitation, highs and lows (in mm and °C) of the days that have a value."""
    months = [{"PRCP": [], "TMAX": [], "TMIN": []} for _ in MONTHS]
    days = 0
    with open(path, newline="") as file:
        for row in csv.DictReader(file):
            date = row["DATE"]
            if date[:4] != str(year):
                continue
            days += 1
            month = months[int(date[4:6]) - 1]
            for name in month:
                if row[name]:  # empty: no value that day
                    month[name].append(int(row[name]) / 10)
    if not days:  # the wrong year, most likely: empty charts would time nothing worth comparing
        sys.exit("%s has no day of %s" % (path, year))
    return months


def mean(values):
    return sum(values) / len(values) if values else None


def render_set(path, year, place):
    """The three charts of a station-year, as SVG (bytes, as pygal's render() gives them)."""
    months = read_months(path, year)

    precipitation = pygal.Bar(title="%s: monthly precipitation" % place, x_title="Month",
                              y_title="Precipitation (mm)", show_legend=False, **SIZE)
    precipitation.x_labels = MONTHS
    # None, a month without any value, is drawn as no bar.
    precipitation.add("Precipitation", [sum(m["PRCP"]) if m["PRCP"] else None for m in months])

    temperature = pygal.Line(title="%s: average daily high and low" % place, x_title="Month",
                             y_title="Temperature (°C)", legend_at_bottom=True,
                             allow_interruptions=True, **SIZE)  # a month without values: a gap
    temperature.x_labels = MONTHS
    temperature.add("Average daily high", [mean(m["TMAX"]) for m in months])
    temperature.add("Average daily low", [mean(m["TMIN"]) for m in months])

    # One box per month, from its daily highs; "extremes": whiskers to the lowest and highest.
    highs = pygal.Box(title="%s: daily highs, month by month" % place, x_title="Month",
                      y_title="Daily high (°C)", box_mode="extremes", show_legend=False, **SIZE)
    highs.x_labels = [name for name, m in zip(MONTHS, months) if m["TMAX"]]
    for name, m in zip(MONTHS, months):
        if m["TMAX"]:  # a month without highs has no box (pygal would draw one at 0 °C)
            highs.add(name, m["TMAX"])

    return [chart.render() for chart in (precipitation, temperature, highs)]


def main(path, year, runs):
    # The station as the graph service names it: its folder's name, in capitals (SEA).
    place = "%s %s" % (Path(path).parent.name.upper(), year)
    wall, cpu = time.perf_counter(), time.process_time()
    for _ in range(runs):
        svgs = render_set(path, year, place)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return {
        "runs": runs,
        "wall_seconds_per_set": wall / runs,
        "cpu_seconds_per_set": cpu / runs,
        "svg_bytes": sum(len(svg) for svg in svgs),
    }


if __name__ == "__main__":
    if len(sys.argv) != 4 or int(sys.argv[3]) < 1:
        sys.exit(__doc__)
    print(json.dumps(main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]))))
