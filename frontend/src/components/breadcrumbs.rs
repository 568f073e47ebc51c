use leptos::prelude::*;

/// The folders from the dataset's top down to `path`: (name, path to open it).
pub fn crumbs(path: &str) -> Vec<(String, String)> {
    let mut trail = vec![("All files".to_owned(), String::new())];
    let mut so_far = String::new();
    for name in path.split('/').filter(|n| !n.is_empty()) {
        if !so_far.is_empty() {
            so_far.push('/');
        }
        so_far.push_str(name);
        trail.push((name.to_owned(), so_far.clone()));
    }
    trail
}

/// Where the file browser is; each folder above is a button that opens it.
#[component]
pub fn Breadcrumbs(path: String, on_open: Callback<String>) -> impl IntoView {
    let trail = crumbs(&path);
    let last = trail.len() - 1;
    let items = trail
        .into_iter()
        .enumerate()
        .map(|(at, (name, target))| {
            if at == last {
                let here = name.clone();
                view! { <li aria-current="location" data-testid="crumb-here" data-name=here>{name}</li> }.into_any()
            } else {
                view! { <li><button type="button" class="link" data-testid="crumb" on:click=move |_| on_open.run(target.clone())>{name}</button></li> }.into_any()
            }
        })
        .collect_view();
    view! { <nav class="crumbs" aria-label="Folder"><ol>{items}</ol></nav> }
}

#[cfg(test)]
mod tests {
    use super::crumbs;

    #[test]
    fn each_folder_opens_its_own_path() {
        assert_eq!(crumbs(""), [("All files".to_owned(), String::new())]);
        let trail = crumbs("a/b");
        assert_eq!(trail[1], ("a".to_owned(), "a".to_owned()));
        assert_eq!(trail[2], ("b".to_owned(), "a/b".to_owned()));
    }
}
