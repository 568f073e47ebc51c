use leptos::prelude::*;
use mrdp_shared::HealthStatus;

/// The CSS class and the word shown for a status.
pub fn status_text(status: HealthStatus) -> (&'static str, &'static str) {
    match status {
        HealthStatus::Ok => ("ok", "OK"),
        HealthStatus::Degraded => ("degraded", "Degraded"),
        HealthStatus::Down => ("down", "Down"),
    }
}

/// A coloured pill with the status word.
#[component]
pub fn StatusBadge(status: HealthStatus) -> impl IntoView {
    let (class, word) = status_text(status);
    view! { <span class=format!("badge {class}")>{word}</span> }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_status_has_its_own_class() {
        let classes = [HealthStatus::Ok, HealthStatus::Degraded, HealthStatus::Down]
            .map(|s| status_text(s).0);
        assert_eq!(classes, ["ok", "degraded", "down"]);
    }
}
