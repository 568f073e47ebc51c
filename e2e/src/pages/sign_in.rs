use crate::Browser;

/// The identity provider's sign-in and consent pages, as a person uses them.
#[derive(Debug)]
pub struct SignInPages<'a> {
    browser: &'a Browser,
}

impl<'a> SignInPages<'a> {
    pub fn new(browser: &'a Browser) -> Self {
        Self { browser }
    }

    /// Types the username and password into the sign-in form and submits it.
    pub async fn sign_in(&self, username: &str, password: &str) -> anyhow::Result<()> {
        self.browser
            .find("#username")
            .await?
            .send_keys(username)
            .await?;
        self.browser
            .find("#password")
            .await?
            .send_keys(password)
            .await?;
        self.browser
            .find("form button[type=submit]")
            .await?
            .click()
            .await?;
        Ok(())
    }

    /// Waits for the identity provider's "signed out" page.
    pub async fn wait_signed_out(&self) -> anyhow::Result<()> {
        self.browser.wait_for_url("/v2/web/logout").await?;
        let heading = self.browser.find("main h1").await?.text().await?;
        anyhow::ensure!(
            heading == "You are signed out",
            "the sign-out page says {heading:?}"
        );
        Ok(())
    }

    /// Allows the portal what it asked for, on the consent page.
    pub async fn allow(&self) -> anyhow::Result<()> {
        self.browser
            .find("button[value=allow]")
            .await?
            .click()
            .await?;
        Ok(())
    }
}
