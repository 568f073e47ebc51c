use super::SignInPages;
use crate::Browser;

/// The Developer page: the researcher's apps.
#[derive(Debug)]
pub struct DeveloperPage<'a> {
    browser: &'a Browser,
}

impl<'a> DeveloperPage<'a> {
    pub fn new(browser: &'a Browser) -> Self {
        Self { browser }
    }

    /// Opens the page from the navigation bar.
    pub async fn open(&self) -> anyhow::Result<()> {
        self.browser
            .find("[data-testid=nav-developer]")
            .await?
            .click()
            .await?;
        Ok(())
    }

    /// Allows the portal to manage the researcher's apps (the page asks first: a sign-in that
    /// asks for it, answered on the provider's consent page); back on the page, no app yet.
    pub async fn allow_and_come_back(&self) -> anyhow::Result<()> {
        self.browser
            .find("[data-testid=allow-apps-link]")
            .await?
            .click()
            .await?;
        SignInPages::new(self.browser).allow().await?;
        self.browser.wait_for_url("/developer").await?;
        self.browser.find("[data-testid=no-apps]").await?;
        Ok(())
    }

    /// Registers a native app (`native`) or a service named `name`; answers what the page then
    /// shows of a service's secret (`None` for a native app).
    pub async fn register(&self, name: &str, native: bool) -> anyhow::Result<Option<String>> {
        self.browser
            .find("[data-testid=app-name]")
            .await?
            .send_keys(name)
            .await?;
        let kind = if native {
            "kind-native"
        } else {
            "kind-service"
        };
        self.click(&format!("[data-testid={kind}]")).await?;
        self.click("[data-testid=register]").await?;
        self.browser
            .find(&format!("[data-testid=app] strong[data-name='{name}']"))
            .await?;
        if native {
            return Ok(None);
        }
        let secret = self.browser.find("[data-testid=app-secret]").await?;
        Ok(Some(secret.text().await?))
    }

    /// The names of the apps listed, in order.
    pub async fn names(&self) -> anyhow::Result<Vec<String>> {
        let names = self
            .browser
            .execute(
                "return [...document.querySelectorAll('[data-testid=app] strong')].map(s => s.textContent);",
                vec![],
            )
            .await?;
        Ok(serde_json::from_value(names)?)
    }

    /// Deletes the app `name` and waits until it is no longer listed.
    pub async fn delete(&self, name: &str) -> anyhow::Result<()> {
        let button = format!("[data-testid=delete-app][aria-label='Delete {name}']");
        self.click(&button).await?;
        self.browser.wait_until_absent(&button).await
    }

    async fn click(&self, css: &str) -> anyhow::Result<()> {
        self.browser.find(css).await?.click().await?;
        Ok(())
    }
}
