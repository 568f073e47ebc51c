use crate::Browser;
use anyhow::Context;

/// The file manager: two panes ("origin" on the left, "destination" on the right), the
/// transfer bar between them, and the share dialog.
#[derive(Debug)]
pub struct FileManagerPage<'a> {
    browser: &'a Browser,
}

impl<'a> FileManagerPage<'a> {
    pub fn new(browser: &'a Browser) -> Self {
        Self { browser }
    }

    /// Chooses the collection whose name contains `name` in a pane's picker.
    pub async fn choose_collection(&self, side: &str, name: &str) -> anyhow::Result<()> {
        let options = self
            .browser
            .find_all(&format!("[data-testid={side}-collection] option"))
            .await?;
        for option in options {
            if option.text().await?.contains(name) {
                option.click().await?;
                return self.wait_listing(side, "/").await;
            }
        }
        anyhow::bail!("no collection named like {name} in the {side} pane")
    }

    /// Waits until a pane lists `path` (absolute, ending with `/`).
    pub async fn wait_listing(&self, side: &str, path: &str) -> anyhow::Result<()> {
        self.browser
            .find(&format!("[data-testid={side}-listing][data-path='{path}']"))
            .await?;
        Ok(())
    }

    /// The names a pane lists, in order.
    pub async fn entries(&self, side: &str) -> anyhow::Result<Vec<String>> {
        self.browser
            .attributes(&format!("[data-testid={side}-entry]"), "data-name")
            .await
    }

    /// The names a pane shows ticked, once one is.
    pub async fn ticked(&self, side: &str) -> anyhow::Result<Vec<String>> {
        self.browser
            .attributes(&format!("[data-testid={side}-entry].picked"), "data-name")
            .await
    }

    /// The recent destinations the destination pane offers, as it words them.
    pub async fn recent_destinations(&self) -> anyhow::Result<Vec<String>> {
        let mut words = Vec::new();
        for link in self
            .browser
            .find_all("[data-testid=recent-destination]")
            .await?
        {
            words.push(link.text().await?);
        }
        Ok(words)
    }

    /// Ticks (or unticks) an entry of a pane by its name.
    pub async fn tick(&self, side: &str, name: &str) -> anyhow::Result<()> {
        self.browser
            .find(&format!(
                "[data-testid={side}-entry][data-name='{name}'] input[type=checkbox]"
            ))
            .await?
            .click()
            .await?;
        Ok(())
    }

    /// Opens a folder of a pane and waits for its listing.
    pub async fn open_folder(&self, side: &str, name: &str, path: &str) -> anyhow::Result<()> {
        self.browser
            .find(&format!(
                "[data-testid={side}-entry][data-name='{name}'] button"
            ))
            .await?
            .click()
            .await?;
        self.wait_listing(side, path).await
    }

    /// Goes to a pane's top folder through its breadcrumbs.
    pub async fn open_top(&self, side: &str) -> anyhow::Result<()> {
        self.browser
            .find(&format!("[data-testid={side}-pane] [data-testid=crumb]"))
            .await?
            .click()
            .await?;
        self.wait_listing(side, "/").await
    }

    /// Makes a folder in a pane's folder through its toolbar; waits for the word it was made.
    pub async fn make_folder(&self, side: &str, name: &str) -> anyhow::Result<()> {
        self.click(&format!("{side}-new-folder")).await?;
        // The name's field takes the focus when it appears.
        self.browser
            .find(&format!("[data-testid={side}-name]"))
            .await?;
        self.browser.type_where_focused(name).await?;
        self.click(&format!("{side}-name-submit")).await?;
        self.outcome(side).await.map(drop)
    }

    /// What a pane's last action came to: its words, or the error panel's.
    pub async fn outcome(&self, side: &str) -> anyhow::Result<String> {
        let shown = self
            .browser
            .find(&format!(
                "[data-testid={side}-pane] [data-testid={side}-outcome], [data-testid={side}-pane] [data-testid=error-panel]"
            ))
            .await?;
        Ok(shown.text().await?)
    }

    /// Deletes what is ticked in a pane, confirming; answers what the pane then says.
    pub async fn delete_ticked(&self, side: &str) -> anyhow::Result<String> {
        self.click(&format!("{side}-delete")).await?;
        self.click(&format!("{side}-confirm-delete")).await?;
        self.outcome(side).await
    }

    /// Asks to download the one file a pane has ticked (the browser saves it, or the pane asks
    /// for the collection to be allowed first).
    pub async fn download_ticked(&self, side: &str) -> anyhow::Result<()> {
        self.click(&format!("{side}-download")).await
    }

    /// Follows the pane's "Allow and come back" to the identity provider's consent.
    pub async fn allow_collection(&self, side: &str) -> anyhow::Result<()> {
        self.click(&format!("{side}-allow")).await
    }

    /// Transfers what the origin has ticked into the destination's folder; answers the task id.
    pub async fn transfer_right(&self) -> anyhow::Result<String> {
        self.click("transfer-right").await?;
        self.browser
            .find("[data-testid=transfer-submitted]")
            .await?
            .attr("data-task")
            .await?
            .context("the submitted transfer names no task")
    }

    /// Follows the submitted transfer's link to its page.
    pub async fn follow_transfer(&self) -> anyhow::Result<()> {
        self.click("follow-transfer").await?;
        self.browser.wait_for_url("/activity/").await
    }

    /// Opens the share dialog on what the pane has ticked.
    pub async fn open_share(&self, side: &str) -> anyhow::Result<()> {
        self.click(&format!("{side}-share")).await?;
        self.browser
            .find("[data-testid=share-dialog]")
            .await
            .map(drop)
    }

    /// Shares the dialog's folder with `colleague`, read-only; waits for the share listed.
    pub async fn share_read_only(&self, colleague: &str) -> anyhow::Result<()> {
        // The dialog's first field takes the focus when it opens.
        self.browser.find("[data-testid=share-colleague]").await?;
        self.browser.type_where_focused(colleague).await?;
        self.click("share-submit").await?;
        self.browser
            .find(&format!("[data-testid=share][data-username='{colleague}']"))
            .await
            .map(drop)
    }

    /// Whether a pane offers to share its folders (only in a collection the researcher owns).
    pub async fn offers_share(&self, side: &str) -> anyhow::Result<bool> {
        self.browser
            .is_present(&format!("[data-testid={side}-share]"))
            .await
    }

    async fn click(&self, testid: &str) -> anyhow::Result<()> {
        self.browser
            .find(&format!("[data-testid={testid}]"))
            .await?
            .click()
            .await?;
        Ok(())
    }
}
