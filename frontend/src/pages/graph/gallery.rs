//! The charts of a job, shown inline through signed data-server URLs (the portal never carries
//! their bytes); a chart opens large in a dialog (Escape or "Close" shuts it), and each can be
//! downloaded as SVG or PNG.

use crate::focus::focused_button;
use leptos::prelude::*;
use mrdp_shared::{GraphChart, GraphFileLink};

/// The signed URL of the file `name`, if there is one.
fn url_of(links: &[GraphFileLink], name: &str) -> Option<String> {
    links.iter().find(|l| l.name == name).map(|l| l.url.clone())
}

#[component]
pub fn Gallery(charts: Vec<GraphChart>, links: Vec<GraphFileLink>) -> impl IntoView {
    let opened = RwSignal::new(None::<(String, String)>);
    let close = move || opened.set(None);
    let on_key = move |event: leptos::ev::KeyboardEvent| {
        if event.key() == "Escape" {
            close();
        }
    };
    let figures = charts
        .into_iter()
        .filter_map(|chart| {
            let (svg, png) = (url_of(&links, &chart.svg)?, url_of(&links, &chart.png)?);
            let title = chart.title.clone();
            let open = {
                let (title, svg) = (title.clone(), svg.clone());
                move |_| opened.set(Some((title.clone(), svg.clone())))
            };
            Some(view! {
                <figure class="chart card" data-testid="graph-chart" data-name=chart.name.clone() data-kind=chart.kind.as_str()>
                    <button type="button" class="chart-open" data-testid="open-chart" aria-label=format!("Open {title}") on:click=open>
                        <img src=svg.clone() alt=title.clone() width="800" height="480" />
                    </button>
                    <figcaption>
                        <span>{title}</span>
                        <a href=svg download=format!("{}.svg", chart.name)>"SVG"</a>
                        <a href=png download=format!("{}.png", chart.name)>"PNG"</a>
                    </figcaption>
                </figure>
            })
        })
        .collect_view();
    view! {
        <section class="gallery" data-testid="graph-gallery" aria-label="Charts">{figures}</section>
        {move || opened.get().map(|(title, url)| view! {
            <div class="lightbox" role="dialog" aria-modal="true" aria-label=title.clone() data-testid="chart-dialog" on:keydown=on_key>
                <div class="lightbox-body">
                    <img src=url alt=title.clone() />
                    <button type="button" data-testid="close-chart" node_ref=focused_button() on:click=move |_| close()>"Close"</button>
                </div>
            </div>
        })}
    }
}
