use crate::Browser;

/// The profile page.
#[derive(Debug)]
pub struct ProfilePage<'a> {
    browser: &'a Browser,
}

impl<'a> ProfilePage<'a> {
    pub fn new(browser: &'a Browser) -> Self {
        Self { browser }
    }

    /// Waits until the app shows the profile page (it sends a researcher there by itself while
    /// the profile is incomplete).
    pub async fn wait_shown(&self) -> anyhow::Result<()> {
        self.browser.wait_for_url("/profile").await?;
        self.browser.find("#institution").await?;
        Ok(())
    }

    /// Replaces the institution field's text and saves; waits for the confirmation.
    pub async fn save_institution(&self, institution: &str) -> anyhow::Result<()> {
        let field = self.browser.find("#institution").await?;
        field.clear().await?;
        field.send_keys(institution).await?;
        self.browser
            .find("[data-testid=save-profile]")
            .await?
            .click()
            .await?;
        self.browser.find("[data-testid=profile-saved]").await?;
        Ok(())
    }
}
