use crate::Browser;

/// The portal's navigation bar.
#[derive(Debug)]
pub struct NavBar<'a> {
    browser: &'a Browser,
}

impl<'a> NavBar<'a> {
    pub fn new(browser: &'a Browser) -> Self {
        Self { browser }
    }

    pub async fn click_sign_in(&self) -> anyhow::Result<()> {
        self.browser
            .find("[data-testid=sign-in]")
            .await?
            .click()
            .await?;
        Ok(())
    }

    /// The signed-in person's name, once the app shows it.
    pub async fn signed_in_name(&self) -> anyhow::Result<String> {
        Ok(self
            .browser
            .find("[data-testid=user-name]")
            .await?
            .text()
            .await?)
    }

    /// Goes to the landing page through the portal's name.
    pub async fn click_home(&self) -> anyhow::Result<()> {
        self.browser
            .find("[data-testid=home]")
            .await?
            .click()
            .await?;
        Ok(())
    }

    /// Waits until the bar stops asking for the profile (it refetches the person after a save).
    pub async fn wait_profile_accepted(&self) -> anyhow::Result<()> {
        self.browser
            .wait_until_absent("[data-testid=complete-profile]")
            .await
    }

    pub async fn click_sign_out(&self) -> anyhow::Result<()> {
        self.browser
            .find("[data-testid=sign-out]")
            .await?
            .click()
            .await?;
        Ok(())
    }

    /// Whether the bar offers to sign in (nobody is signed in).
    pub async fn offers_sign_in(&self) -> anyhow::Result<bool> {
        Ok(self.browser.find("[data-testid=sign-in]").await.is_ok())
    }

    /// Waits until the bar shows no selection (as to nobody signed in).
    pub async fn wait_selection_hidden(&self) -> anyhow::Result<()> {
        self.browser
            .wait_until_absent("[data-testid=selection-count]")
            .await
    }

    /// How many datasets the bar says are selected.
    pub async fn selection_count(&self) -> anyhow::Result<usize> {
        let count = self.browser.find("[data-testid=selection-count]").await?;
        Ok(count
            .attr("data-count")
            .await?
            .unwrap_or_default()
            .parse()?)
    }

    /// Waits until the bar says `count` datasets are selected.
    pub async fn wait_selection_count(&self, count: usize) -> anyhow::Result<()> {
        self.browser
            .find(&format!(
                "[data-testid=selection-count][data-count='{count}']"
            ))
            .await?;
        Ok(())
    }
}
