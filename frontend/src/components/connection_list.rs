use crate::api::login_href;
use crate::route::AppRoute;
use leptos::prelude::*;
use mrdp_shared::{Connection, ConnectionsResponse};

/// A person's words for a resource server the provider names, and the scopes granted for it (a
/// collection's HTTPS scope ends in `/https`).
pub fn describe(resource_server: &str, scopes: &[String]) -> &'static str {
    match resource_server {
        "auth.globus.org" => "Your identity: name and email",
        "transfer.api.globus.org" => "Data transfer: list collections and move data for you",
        "groups.api.globus.org" => "Your groups: which ones you belong to, for group datasets",
        _ if scopes.iter().any(|scope| scope.ends_with("/https")) => {
            "Files of a collection: read them for you over HTTPS"
        }
        _ => "A service acting for you",
    }
}

fn row(connection: Connection) -> impl IntoView {
    let renewal = if connection.renewable {
        "renewed automatically while you are signed in"
    } else {
        "ends with its token; sign in again then"
    };
    let description = describe(&connection.resource_server, &connection.scopes);
    let resource_server = connection.resource_server;
    let attribute = resource_server.clone();
    view! {
        <tr data-testid="connection" data-resource-server=attribute>
            <td>{description}<br/><code>{resource_server}</code></td>
            <td>{connection.scopes.into_iter().map(|s| view! { <code class="scope">{s}</code> }).collect_view()}</td>
            <td>{renewal}</td>
        </tr>
    }
}

/// The services the portal may use for the researcher, and those that need a new sign-in.
#[component]
pub fn ConnectionList(connections: ConnectionsResponse) -> impl IntoView {
    let ended = (!connections.ended.is_empty()).then(|| {
        view! {
            <p class="error-panel" role="alert" data-testid="connections-ended">
                "Your permission ended for: " {connections.ended.join(", ")} ". "
                <a rel="external" href=login_href(AppRoute::Home.path())>"Sign in again"</a>
            </p>
        }
    });
    view! {
        {ended}
        <table class="connections">
            <thead><tr><th>"Service"</th><th>"Allowed"</th><th>"Renewal"</th></tr></thead>
            <tbody>{connections.connections.into_iter().map(row).collect_view()}</tbody>
        </table>
    }
}

#[cfg(test)]
mod tests {
    use super::describe;

    #[test]
    fn unknown_services_get_a_plain_description() {
        assert!(describe("transfer.api.globus.org", &[]).starts_with("Data transfer"));
        assert!(describe("groups.api.globus.org", &[]).starts_with("Your groups"));
        let https = ["https://auth.globus.org/scopes/5f1c/https".to_owned()];
        assert!(describe("5f1c", &https).starts_with("Files of a collection"));
        assert_eq!(describe("5f1c", &[]), "A service acting for you");
    }
}
