use crate::Browser;
use anyhow::Context;
use fantoccini::key::Key;

/// What the preview says about the year it draws.
#[derive(Debug, PartialEq, Eq)]
pub struct PreviewFacts {
    /// Days drawn.
    pub points: usize,
    /// The words shown ("1 day missing").
    pub missing: String,
}

/// A dataset's landing page.
#[derive(Debug)]
pub struct DatasetPage<'a> {
    browser: &'a Browser,
}

impl<'a> DatasetPage<'a> {
    pub fn new(browser: &'a Browser) -> Self {
        Self { browser }
    }

    /// The page's heading, once the dataset is loaded.
    pub async fn title(&self) -> anyhow::Result<String> {
        Ok(self
            .browser
            .find("[data-testid=dataset-title]")
            .await?
            .text()
            .await?)
    }

    /// The preview's counts for `year`, once it has read its file from the data server and
    /// drawn it.
    pub async fn preview(&self, year: i32) -> anyhow::Result<PreviewFacts> {
        let facts = self
            .browser
            .find(&format!("[data-testid=preview-facts][data-year='{year}']"))
            .await?;
        self.browser.find("[data-testid=weather-chart]").await?;
        let points = facts.attr("data-points").await?.unwrap_or_default();
        let missing = self.browser.find("[data-testid=missing-days]").await?;
        Ok(PreviewFacts {
            points: points.parse()?,
            missing: missing.text().await?,
        })
    }

    /// Hovers the chart's `day` (0 for 1 January); the read-out then says that day's values.
    pub async fn hover_chart_day(&self, day: usize) -> anyhow::Result<String> {
        let days = self
            .browser
            .find_all("[data-testid=preview] rect.hover")
            .await?;
        let target = days
            .into_iter()
            .nth(day)
            .context("no such day in the chart")?;
        self.browser.hover(target).await?;
        self.chart_readout().await
    }

    /// Focuses the chart, goes to its first day (Home) and moves on with the right arrow key
    /// `days` times; the read-out then says that day's values.
    pub async fn read_chart_day_by_keyboard(&self, days: usize) -> anyhow::Result<String> {
        let chart = self.browser.find("[data-testid=preview] .chart").await?;
        let keys: String = std::iter::once(char::from(Key::Home))
            .chain(std::iter::repeat_n(char::from(Key::Right), days))
            .collect();
        chart.send_keys(&keys).await?;
        self.chart_readout().await
    }

    async fn chart_readout(&self) -> anyhow::Result<String> {
        Ok(self
            .browser
            .find("[data-testid=chart-readout]")
            .await?
            .text()
            .await?)
    }

    /// Chooses the year the preview draws.
    pub async fn choose_preview_year(&self, year: i32) -> anyhow::Result<()> {
        self.browser
            .find("#preview-year")
            .await?
            .select_by_value(&year.to_string())
            .await?;
        Ok(())
    }

    /// Whether the preview drawn says the station has no precipitation record (call it after
    /// [`DatasetPage::preview`]: the note is drawn with the chart).
    pub async fn says_no_precipitation(&self) -> anyhow::Result<bool> {
        self.browser
            .is_present("[data-testid=no-precipitation]")
            .await
    }

    /// The names of the folders and files listed, folders first as the listing gives them.
    pub async fn entries(&self) -> anyhow::Result<Vec<String>> {
        let rows = "[data-testid=folder-row], [data-testid=file-row]";
        self.browser.attributes(rows, "data-name").await
    }

    /// Opens a folder of the listing (`a/b`: the folder `b` listed in `a`) and waits for its
    /// own listing.
    pub async fn open_folder(&self, path: &str) -> anyhow::Result<()> {
        let name = path.rsplit('/').next().unwrap_or(path);
        self.browser
            .find(&format!(
                "[data-testid=folder-row][data-name='{name}'] button"
            ))
            .await?
            .click()
            .await?;
        self.wait_listing(path).await
    }

    /// Goes back up to the dataset's top folder through the breadcrumbs.
    pub async fn open_top_folder(&self) -> anyhow::Result<()> {
        self.browser
            .find("[data-testid=crumb]")
            .await?
            .click()
            .await?;
        self.wait_listing("").await
    }

    /// Waits until the listing shown is the folder's at `path` (`""` for the top).
    pub async fn wait_listing(&self, path: &str) -> anyhow::Result<()> {
        self.browser
            .find(&format!("[data-testid=listing][data-path='{path}']"))
            .await?;
        Ok(())
    }

    /// Goes to the listing's next page and waits for it.
    pub async fn next_file_page(&self) -> anyhow::Result<()> {
        let listing = self.browser.find("[data-testid=listing]").await?;
        let page: u32 = listing
            .attr("data-page")
            .await?
            .unwrap_or_default()
            .parse()?;
        self.browser
            .find("[data-testid=files] [data-testid=next-page]")
            .await?
            .click()
            .await?;
        self.browser
            .find(&format!("[data-testid=listing][data-page='{}']", page + 1))
            .await?;
        Ok(())
    }

    /// The listing's "Page 1 of 2".
    pub async fn file_pages(&self) -> anyhow::Result<String> {
        Ok(self
            .browser
            .find("[data-testid=files] [data-testid=page-of]")
            .await?
            .text()
            .await?)
    }

    /// Clicks the copy button of the citation (`citation-text`, "citation") or of the BibTeX
    /// (`citation-bibtex`, "BibTeX") and waits until the page says it is on the clipboard;
    /// returns the text shown above the button.
    pub async fn copy_citation(&self, testid: &str, kind: &str) -> anyhow::Result<String> {
        self.browser
            .find(&format!("[data-testid=copy-{testid}]"))
            .await?
            .click()
            .await?;
        self.browser
            .find(&format!("[data-testid=copy-status][data-copied='{kind}']"))
            .await?;
        Ok(self
            .browser
            .find(&format!("[data-testid={testid}]"))
            .await?
            .text()
            .await?)
    }

    /// Clicks a file's download button (the browser saves what the data server sends).
    pub async fn download(&self, name: &str) -> anyhow::Result<()> {
        self.browser
            .find(&format!(
                "[data-testid=file-row][data-name='{name}'] button"
            ))
            .await?
            .click()
            .await?;
        Ok(())
    }

    /// Adds the dataset to the selection.
    pub async fn select(&self, id: &str) -> anyhow::Result<()> {
        super::selection::select_dataset(self.browser, id).await
    }

    /// Whether the page says there is no such dataset (for this researcher).
    pub async fn says_not_found(&self) -> anyhow::Result<bool> {
        Ok(self
            .browser
            .find("[data-testid=dataset-not-found]")
            .await
            .is_ok())
    }
}
