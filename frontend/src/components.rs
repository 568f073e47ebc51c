//! Pure components: they render their props and fetch nothing.

mod access_badge;
mod breadcrumbs;
mod citation_box;
mod connection_list;
mod dataset_card;
mod dataset_facts;
mod error_panel;
mod facet_list;
mod file_table;
mod health_table;
mod nav_bar;
mod pager;
mod select_button;
mod status_badge;
mod weather_chart;

pub use access_badge::AccessBadge;
pub use breadcrumbs::Breadcrumbs;
pub use citation_box::CitationBox;
pub use connection_list::ConnectionList;
pub use dataset_card::DatasetCard;
pub use dataset_facts::DatasetFacts;
pub use error_panel::ErrorPanel;
pub use facet_list::FacetList;
pub use file_table::FileTable;
pub use health_table::HealthTable;
pub use nav_bar::{NavBar, display_name};
pub use pager::Pager;
pub use select_button::SelectButton;
pub use status_badge::StatusBadge;
pub use weather_chart::WeatherChart;
