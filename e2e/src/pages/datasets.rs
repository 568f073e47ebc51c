use crate::Browser;

/// The datasets page: search, facets, result cards and pages.
#[derive(Debug)]
pub struct DatasetsPage<'a> {
    browser: &'a Browser,
}

impl<'a> DatasetsPage<'a> {
    pub fn new(browser: &'a Browser) -> Self {
        Self { browser }
    }

    /// Opens `/datasets` with a query string (`""` for every dataset) and waits for its results.
    pub async fn open(browser: &'a Browser, portal_url: &str, query: &str) -> anyhow::Result<Self> {
        browser
            .goto(&format!("{portal_url}/datasets?{query}"))
            .await?;
        let page = Self { browser };
        page.wait_settled().await?;
        Ok(page)
    }

    /// Waits until the search has answered (results, the empty state or an error).
    pub async fn wait_settled(&self) -> anyhow::Result<()> {
        self.browser
            .find("[data-testid=result-count], [data-testid=error-panel]")
            .await?;
        Ok(())
    }

    /// Waits until the results shown are those of a search whose query string contains
    /// `fragment` (`station=JFK`): what a page showed before is not taken for the new answer.
    async fn wait_results_for(&self, fragment: &str) -> anyhow::Result<()> {
        self.browser
            .find(&format!(
                "[data-testid=result-count][data-query*='{fragment}']"
            ))
            .await?;
        Ok(())
    }

    /// Clicks the element `css` picks and waits for the results of a search whose query string
    /// contains `fragment`.
    async fn click_then_wait(&self, css: &str, fragment: &str) -> anyhow::Result<()> {
        self.browser.find(css).await?.click().await?;
        self.wait_results_for(fragment).await
    }

    /// Types words into the search box and submits; waits for the new URL's results.
    pub async fn search(&self, words: &str) -> anyhow::Result<()> {
        let field = self.browser.find("#search-words").await?;
        field.clear().await?;
        field.send_keys(words).await?;
        // The page's URL escapes spaces as %20.
        self.click_then_wait(
            "[data-testid=search-submit]",
            &format!("q={}", words.replace(' ', "%20")),
        )
        .await
    }

    /// Fills the year range in and submits; waits for the new URL's results.
    pub async fn filter_years(&self, from: i32, to: i32) -> anyhow::Result<()> {
        for (field, year) in [("#year-from", from), ("#year-to", to)] {
            let input = self.browser.find(field).await?;
            input.clear().await?;
            input.send_keys(&year.to_string()).await?;
        }
        self.click_then_wait(
            "[data-testid=search-submit]",
            &format!("from={from}&to={to}"),
        )
        .await
    }

    /// Clicks a facet's value (`station`, `SEA`) and waits for the filtered results.
    pub async fn filter(&self, facet: &str, value: &str) -> anyhow::Result<()> {
        self.click_then_wait(
            &format!("[data-testid=facet-{facet}-{value}]"),
            &format!("{facet}={value}"),
        )
        .await
    }

    /// Goes to the next page of results and waits for page `page`'s results.
    pub async fn next_page(&self, page: u32) -> anyhow::Result<()> {
        self.click_then_wait("[data-testid=next-page]", &format!("page={page}"))
            .await
    }

    /// The pager's "Page 1 of 2".
    pub async fn pages(&self) -> anyhow::Result<String> {
        Ok(self
            .browser
            .find("[data-testid=page-of]")
            .await?
            .text()
            .await?)
    }

    /// The ids of the results shown, in order.
    pub async fn result_ids(&self) -> anyhow::Result<Vec<String>> {
        self.browser
            .attributes("[data-testid=result]", "data-id")
            .await
    }

    /// Whether the page says that nothing matches.
    pub async fn shows_empty_state(&self) -> anyhow::Result<bool> {
        Ok(self
            .browser
            .find("[data-testid=datasets-empty]")
            .await
            .is_ok())
    }

    /// A facet value's count, as its link shows it.
    pub async fn facet_count(&self, facet: &str, value: &str) -> anyhow::Result<String> {
        let link = self
            .browser
            .find(&format!("[data-testid=facet-{facet}-{value}] .count"))
            .await?;
        Ok(link.text().await?)
    }

    /// Opens a result's landing page through its title.
    pub async fn open_result(&self, id: &str) -> anyhow::Result<()> {
        self.browser
            .find(&format!("[data-testid=result][data-id='{id}'] h2 a"))
            .await?
            .click()
            .await?;
        self.browser.wait_for_url(&format!("/datasets/{id}")).await
    }

    /// Adds a result to the selection.
    pub async fn select(&self, id: &str) -> anyhow::Result<()> {
        super::selection::select_dataset(self.browser, id).await
    }
}
