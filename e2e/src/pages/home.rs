use crate::Browser;

/// The signed-in landing page: the services the portal may use for the researcher.
#[derive(Debug)]
pub struct HomePage<'a> {
    browser: &'a Browser,
}

impl<'a> HomePage<'a> {
    pub fn new(browser: &'a Browser) -> Self {
        Self { browser }
    }

    /// The resource servers listed, once the app has fetched them.
    pub async fn connected_services(&self) -> anyhow::Result<Vec<String>> {
        let mut services = Vec::new();
        for row in self.browser.find_all("[data-testid=connection]").await? {
            services.push(row.attr("data-resource-server").await?.unwrap_or_default());
        }
        Ok(services)
    }
}
