use leptos::prelude::*;
use mrdp_shared::Access;

/// The words and CSS class for who may read a dataset.
pub fn access_text(access: &Access) -> (&'static str, String) {
    match access {
        Access::SignedIn => ("open", "Every signed-in researcher".to_owned()),
        Access::Group { name, .. } => ("group", format!("Group: {name}")),
    }
}

/// A pill saying who may read a dataset.
#[component]
pub fn AccessBadge(access: Access) -> impl IntoView {
    let (class, words) = access_text(&access);
    view! { <span class=format!("access {class}") data-testid="access">{words}</span> }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_group_dataset_names_its_group() {
        let group = Access::Group {
            id: "g".into(),
            name: "Climate history".into(),
        };
        assert_eq!(
            access_text(&group),
            ("group", "Group: Climate history".to_owned())
        );
        assert_eq!(access_text(&Access::SignedIn).0, "open");
    }
}
