use crate::Browser;

/// One row of the service status table.
#[derive(Debug, PartialEq, Eq)]
pub struct ServiceRow {
    pub service: String,
    pub status: String,
}

/// The landing page: the health of every service.
#[derive(Debug)]
pub struct StatusPage<'a> {
    browser: &'a Browser,
}

impl<'a> StatusPage<'a> {
    pub async fn open(browser: &'a Browser, portal_url: &str) -> anyhow::Result<Self> {
        browser.goto(portal_url).await?;
        Ok(Self { browser })
    }

    /// The rows of the table, once the app has fetched and rendered them.
    pub async fn services(&self) -> anyhow::Result<Vec<ServiceRow>> {
        let mut rows = Vec::new();
        for row in self.browser.find_all("[data-testid=service-row]").await? {
            rows.push(ServiceRow {
                service: row.attr("data-service").await?.unwrap_or_default(),
                status: row.attr("data-status").await?.unwrap_or_default(),
            });
        }
        Ok(rows)
    }

    /// The summary line above the table.
    pub async fn summary(&self) -> anyhow::Result<String> {
        Ok(self
            .browser
            .find("[data-testid=health-summary]")
            .await?
            .text()
            .await?)
    }
}
