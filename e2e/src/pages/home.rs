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
        self.browser
            .attributes("[data-testid=connection]", "data-resource-server")
            .await
    }
}
