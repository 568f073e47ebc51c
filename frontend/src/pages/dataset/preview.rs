use crate::api;
use crate::components::{ErrorPanel, WeatherChart};
use leptos::prelude::*;
use mrdp_shared::daily_weather::{DailyWeather, missing_text};

/// A year of the dataset drawn from its file, read straight from the data server.
#[component]
pub fn PreviewSection(
    id: String,
    years: Vec<i32>,
    variables_missing: Vec<String>,
) -> impl IntoView {
    let Some(&latest) = years.last() else {
        return view! { <p>"This dataset has no yearly file to preview."</p> }.into_any();
    };
    let year = RwSignal::new(latest);
    let weather = LocalResource::new(move || {
        let (id, year) = (id.clone(), year.get());
        async move {
            api::read_file(&id, &format!("{year}.csv"))
                .await
                .map(|csv| DailyWeather::parse(year, &csv))
        }
    });
    let no_prcp_listed = variables_missing.iter().any(|v| v == "PRCP");
    let options = years
        .iter()
        .rev()
        .map(|&y| view! { <option value=y.to_string() selected=move || year.get() == y>{y}</option> })
        .collect_view();
    view! {
        <section aria-labelledby="preview-heading" class="preview" data-testid="preview">
            <div class="preview-head">
                <h2 id="preview-heading">"Preview"</h2>
                <label for="preview-year">"Year"</label>
                <select id="preview-year" data-testid="preview-year"
                    on:change=move |ev| if let Ok(y) = event_target_value(&ev).parse() { year.set(y) }>
                    {options}
                </select>
                <span class="legend"><span class="key tmax"></span>"Maximum °C" <span class="key tmin"></span>"Minimum °C" <span class="key rain"></span>"Precipitation mm"</span>
            </div>
            <Transition fallback=|| view! { <p class="loading" role="status" data-testid="preview-loading">"Reading the file from the data server…"</p> }>
                {move || Suspend::new(async move {
                    match weather.await {
                        Ok(weather) => {
                            let no_rain = (no_prcp_listed || !weather.has_precipitation())
                                .then(|| view! { <p class="note" data-testid="no-precipitation">"This station has no precipitation (PRCP) record: only temperatures are drawn."</p> });
                            view! {
                                <p class="preview-facts" data-testid="preview-facts" data-year=weather.year data-points=weather.observed_days() data-missing=weather.missing_days()>
                                    {format!("{} days drawn · ", weather.observed_days())}
                                    <strong data-testid="missing-days">{missing_text(weather.missing_days())}</strong>
                                    " (gaps in the lines)"
                                </p>
                                {no_rain}
                                <WeatherChart weather />
                            }
                            .into_any()
                        }
                        Err(failure) => view! { <ErrorPanel failure /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
    .into_any()
}
