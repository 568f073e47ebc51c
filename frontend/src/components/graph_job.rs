use leptos::prelude::*;
use mrdp_shared::{GraphJob, GraphProgress, GraphStage, GraphStatus};

/// A job's title: its datasets and years (`SEA, NYC · 2013–2014`).
pub fn graph_job_title(job: &GraphJob) -> String {
    let request = &job.request;
    let years = if request.from_year == request.to_year {
        request.from_year.to_string()
    } else {
        format!("{}–{}", request.from_year, request.to_year)
    };
    let datasets: Vec<String> = request.datasets.iter().map(|d| d.to_uppercase()).collect();
    format!("{} · {years}", datasets.join(", "))
}

/// A job's status as a badge: (class, words).
fn status_words(status: GraphStatus) -> (&'static str, &'static str) {
    match status {
        GraphStatus::Queued => ("degraded", "Queued"),
        GraphStatus::Running => ("running", "Running"),
        GraphStatus::Succeeded => ("ok", "Done"),
        GraphStatus::Failed => ("down", "Failed"),
    }
}

#[component]
pub fn GraphStatusBadge(status: GraphStatus) -> impl IntoView {
    let (class, words) = status_words(status);
    view! { <span class=format!("badge {class}") data-testid="graph-status" data-status=words.to_lowercase()>{words}</span> }
}

/// What a job is doing, in words.
fn stage_words(stage: GraphStage) -> &'static str {
    match stage {
        GraphStage::Waiting => "Waiting for a worker",
        GraphStage::Reading => "Reading the station-years as you",
        GraphStage::Drawing => "Drawing the charts",
        GraphStage::Writing => "Writing the charts to your results folder",
        GraphStage::Sharing => "Sharing the folder with you",
        GraphStage::Done => "Done",
    }
}

/// A job's status, progress bar and what it is doing.
#[component]
pub fn GraphProgressBar(status: GraphStatus, progress: GraphProgress) -> impl IntoView {
    let percent = (progress.done * 100)
        .checked_div(progress.total)
        .unwrap_or(0);
    let percent = if status == GraphStatus::Succeeded {
        100
    } else {
        percent
    };
    let words = if status.finished() {
        String::new()
    } else {
        format!(
            "{} ({} of {} steps)",
            stage_words(progress.stage),
            progress.done,
            progress.total
        )
    };
    view! {
        <div class="task-progress" data-testid="graph-progress" data-percent=percent.to_string()>
            <GraphStatusBadge status />
            <div class="bar" role="progressbar" aria-label="Progress of the graphs" aria-valuemin="0" aria-valuemax="100"
                aria-valuenow=percent.to_string() aria-valuetext=format!("{percent} %")>
                <div class="fill" class:running=status == GraphStatus::Running style=format!("width: {percent}%")></div>
            </div>
            <span class="percent">{format!("{percent} %")}</span>
            <p class="figures">{words}</p>
        </div>
    }
}
