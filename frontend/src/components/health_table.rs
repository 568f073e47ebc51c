use super::StatusBadge;
use leptos::prelude::*;
use mrdp_shared::{HealthReport, ServiceHealth, StoreBackend, StoreHealth};

/// What the table shows in the store column.
pub fn store_text(store: Option<&StoreHealth>) -> String {
    match store {
        None => "–".to_owned(),
        Some(store) => {
            let backend = match store.backend {
                StoreBackend::Sqlite => "SQLite",
                StoreBackend::Postgres => "PostgreSQL",
            };
            match store.schema_version {
                Some(version) => format!("{backend}, schema v{version}"),
                None => format!("{backend}, not migrated"),
            }
        }
    }
}

/// What the table shows in the response-time column.
pub fn latency_text(latency_ms: Option<u64>) -> String {
    latency_ms.map_or_else(|| "–".to_owned(), |ms| format!("{ms} ms"))
}

/// The overall status and one row per service.
#[component]
pub fn HealthTable(report: HealthReport) -> impl IntoView {
    view! {
        <div class="summary" data-testid="health-summary">
            <StatusBadge status=report.status />
            <span>{format!("{} services", report.services.len())}</span>
        </div>
        <table class="health" data-testid="health-table">
            <thead>
                <tr>
                    <th>"Service"</th>
                    <th>"Status"</th>
                    <th>"Store"</th>
                    <th>"Response"</th>
                    <th>"Version"</th>
                </tr>
            </thead>
            <tbody>{report.services.into_iter().map(service_row).collect_view()}</tbody>
        </table>
    }
}

fn service_row(health: ServiceHealth) -> impl IntoView {
    let (status_class, _) = super::status_badge::status_text(health.status);
    view! {
        <tr data-testid="service-row" data-service=format!("{:?}", health.service).to_lowercase() data-status=status_class>
            <td>{health.service.label()}</td>
            <td>
                <StatusBadge status=health.status />
                {health.detail.map(|detail| view! { <div class="detail">{detail}</div> })}
            </td>
            <td>{store_text(health.store.as_ref())}</td>
            <td>{latency_text(health.latency_ms)}</td>
            <td>{health.version.unwrap_or_else(|| "–".to_owned())}</td>
        </tr>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use mrdp_shared::HealthStatus;

    #[test]
    fn store_column_names_backend_and_version() {
        let store = StoreHealth {
            backend: StoreBackend::Postgres,
            status: HealthStatus::Ok,
            schema_version: Some(3),
        };
        assert_eq!(store_text(Some(&store)), "PostgreSQL, schema v3");
        let fresh = StoreHealth {
            schema_version: None,
            backend: StoreBackend::Sqlite,
            ..store
        };
        assert_eq!(store_text(Some(&fresh)), "SQLite, not migrated");
        assert_eq!(store_text(None), "–");
    }

    #[test]
    fn latency_is_in_milliseconds_or_a_dash() {
        assert_eq!(latency_text(Some(12)), "12 ms");
        assert_eq!(latency_text(None), "–");
    }
}
