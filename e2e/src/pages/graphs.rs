use crate::Browser;

/// The Graphs page (asking for graphs, the researcher's jobs) and a job's page.
#[derive(Debug)]
pub struct GraphPages<'a> {
    browser: &'a Browser,
}

impl<'a> GraphPages<'a> {
    pub fn new(browser: &'a Browser) -> Self {
        Self { browser }
    }

    /// Opens the Graphs page; waits for its form.
    pub async fn open(&self, portal_url: &str) -> anyhow::Result<()> {
        self.browser.goto(&format!("{portal_url}/graphs")).await?;
        self.browser.find("[data-testid=graph-form]").await?;
        Ok(())
    }

    /// The datasets chosen, once there are `count` of them.
    pub async fn chosen(&self, count: usize) -> anyhow::Result<Vec<String>> {
        self.browser
            .find(&format!("[data-testid=graph-chosen] li:nth-child({count})"))
            .await?;
        // Read at once: the list is drawn again as each of the basket's datasets arrives.
        let ids = self
            .browser
            .execute(
                "return [...document.querySelectorAll('[data-testid=graph-chosen] li')].map(li => li.dataset.id);",
                vec![],
            )
            .await?;
        Ok(serde_json::from_value(ids)?)
    }

    /// Searches the catalog for `text`; waits until dataset `id` is among the results, and
    /// ticks it.
    pub async fn find_and_choose(&self, text: &str, id: &str) -> anyhow::Result<()> {
        let field = self.browser.find("[data-testid=graph-search]").await?;
        field.send_keys(text).await?;
        self.click(&format!(
            "[data-testid=graph-found][data-query='{text}'] [data-testid=graph-dataset][value='{id}']"
        ))
        .await
    }

    /// Removes dataset `id` from the chosen ones.
    pub async fn remove(&self, id: &str) -> anyhow::Result<()> {
        self.click(&format!(
            "[data-testid=graph-chosen] li[data-id='{id}'] button"
        ))
        .await?;
        self.browser
            .wait_until_absent(&format!("[data-testid=graph-chosen] li[data-id='{id}']"))
            .await
    }

    /// What the form says of the years the chosen datasets cover.
    pub async fn coverage(&self) -> anyhow::Result<String> {
        Ok(self
            .browser
            .find("[data-testid=graph-coverage]")
            .await?
            .text()
            .await?)
    }

    /// Ticks or unticks chart kind `kind` (`trend`, `comparison`…).
    pub async fn toggle_chart(&self, kind: &str) -> anyhow::Result<()> {
        self.click(&format!("[data-testid=graph-chart][value='{kind}']"))
            .await
    }

    /// Sets the first year of the range, as typing a year and leaving the field would.
    pub async fn set_from(&self, year: i32) -> anyhow::Result<()> {
        self.browser.find("[data-testid=graph-from]").await?;
        self.browser
            .execute(
                "const field = document.querySelector('[data-testid=graph-from]');\
                 field.value = String(arguments[0]);\
                 field.dispatchEvent(new Event('change', { bubbles: true }));\
                 return true;",
                vec![year.into()],
            )
            .await?;
        Ok(())
    }

    /// What the form says of the station-years asked for.
    pub async fn count(&self) -> anyhow::Result<String> {
        Ok(self
            .browser
            .find("[data-testid=graph-count]")
            .await?
            .text()
            .await?)
    }

    /// "Make graphs"; answers the new job's id once its page shows.
    pub async fn make(&self) -> anyhow::Result<String> {
        self.click("[data-testid=make-graphs]").await?;
        let title = self.browser.find("[data-testid=graph-title]").await?;
        Ok(title.attr("data-job").await?.unwrap_or_default())
    }

    /// Waits until the job's page shows it done (its progress stream's last event) and its
    /// charts; answers the charts' names.
    pub async fn wait_gallery(&self) -> anyhow::Result<Vec<String>> {
        self.browser
            .find("[data-testid=graph-progress][data-percent='100']")
            .await?;
        self.browser
            .attributes("[data-testid=graph-chart]", "data-name")
            .await
    }

    /// Waits until every chart's image has loaded (from its signed URL); whether each is a
    /// whole chart (800 pixels wide).
    pub async fn wait_images(&self) -> anyhow::Result<bool> {
        self.browser.find("[data-testid=graph-chart] img").await?;
        let loaded = self
            .browser
            .execute_async(
                "const done = arguments[arguments.length - 1];\
                 const images = [...document.querySelectorAll('[data-testid=graph-chart] img')];\
                 Promise.all(images.map(i => i.complete ? null : new Promise(r => { i.onload = r; i.onerror = r; })))\
                   .then(() => done(images.every(i => i.naturalWidth === 800)));",
                vec![],
            )
            .await?;
        Ok(loaded.as_bool() == Some(true))
    }

    /// The input files the provenance record lists.
    pub async fn provenance_inputs(&self) -> anyhow::Result<usize> {
        Ok(self
            .browser
            .find_all("[data-testid=provenance-inputs] tbody tr")
            .await?
            .len())
    }

    /// The notes of what the data lacked.
    pub async fn notes(&self) -> anyhow::Result<String> {
        Ok(self
            .browser
            .find("[data-testid=graph-notes]")
            .await?
            .text()
            .await?)
    }

    /// Opens chart `name` large; answers the dialog's label.
    pub async fn open_chart(&self, name: &str) -> anyhow::Result<String> {
        self.click(&format!(
            "[data-testid=graph-chart][data-name='{name}'] [data-testid=open-chart]"
        ))
        .await?;
        let dialog = self.browser.find("[data-testid=chart-dialog]").await?;
        Ok(dialog.attr("aria-label").await?.unwrap_or_default())
    }

    /// Closes the opened chart with the keyboard (Escape, where the focus went: "Close").
    pub async fn close_chart_with_escape(&self) -> anyhow::Result<()> {
        self.browser.type_where_focused("\u{e00c}").await?;
        self.browser
            .wait_until_absent("[data-testid=chart-dialog]")
            .await
    }

    /// Deletes the job (accepting the confirmation); waits for the Graphs page.
    pub async fn delete(&self) -> anyhow::Result<()> {
        self.browser
            .execute("window.confirm = () => true; return true;", vec![])
            .await?;
        self.click("[data-testid=delete-graphs]").await?;
        self.browser.find("[data-testid=graph-form]").await?;
        Ok(())
    }

    /// The jobs the Graphs page lists, by id.
    pub async fn listed_jobs(&self) -> anyhow::Result<Vec<String>> {
        if self
            .browser
            .is_present("[data-testid=no-graph-jobs]")
            .await?
        {
            return Ok(Vec::new());
        }
        self.browser
            .attributes("[data-testid=graph-job]", "data-job")
            .await
    }

    async fn click(&self, css: &str) -> anyhow::Result<()> {
        self.browser.find(css).await?.click().await?;
        Ok(())
    }
}
