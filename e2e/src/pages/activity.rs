use crate::Browser;

/// A task as the activity pages show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskShown {
    /// "running", "succeeded", "failed"…
    pub status: String,
    pub percent: Option<u32>,
    pub figures: String,
}

/// The activity page and a task's page.
#[derive(Debug)]
pub struct ActivityPages<'a> {
    browser: &'a Browser,
}

impl<'a> ActivityPages<'a> {
    pub fn new(browser: &'a Browser) -> Self {
        Self { browser }
    }

    /// Waits until the task's page shows it ended (its progress stream's last event), and
    /// answers what it shows.
    pub async fn wait_ended(&self) -> anyhow::Result<TaskShown> {
        self.browser
            .find(
                "[data-testid=task-progress]:not([data-status=running]):not([data-status=paused])",
            )
            .await?;
        self.shown("").await
    }

    /// "Transfer again" on task `id`'s page; answers the new task's id once its page shows.
    pub async fn transfer_again(&self, id: &str) -> anyhow::Result<String> {
        self.browser
            .find("[data-testid=transfer-again]")
            .await?
            .click()
            .await?;
        let title = self
            .browser
            .find(&format!("[data-testid=task-title]:not([data-task='{id}'])"))
            .await?;
        Ok(title.attr("data-task").await?.unwrap_or_default())
    }

    /// Waits until the task's page shows it running with some of its bytes copied.
    pub async fn wait_running_with_bytes(&self) -> anyhow::Result<TaskShown> {
        self.browser
            .find("[data-testid=task-progress][data-status=running][data-percent]:not([data-percent='0'])")
            .await?;
        self.shown("").await
    }

    /// Cancels the task from its page.
    pub async fn cancel(&self) -> anyhow::Result<()> {
        self.browser
            .find("[data-testid=cancel-task]")
            .await?
            .click()
            .await?;
        Ok(())
    }

    /// Opens the activity page and answers what it shows of task `id`.
    pub async fn open_list(&self, portal_url: &str, id: &str) -> anyhow::Result<TaskShown> {
        self.browser.goto(&format!("{portal_url}/activity")).await?;
        self.shown(&format!("[data-testid=task][data-task='{id}'] "))
            .await
    }

    /// Narrows the activity page to tasks in `status` (`succeeded`, `failed`…); answers the ids
    /// it then lists.
    pub async fn only(&self, status: &str) -> anyhow::Result<Vec<String>> {
        self.browser
            .find(&format!(
                "[data-testid=task-filter] option[value='{status}']"
            ))
            .await?
            .click()
            .await?;
        self.browser
            .find(&format!("[data-testid=tasks][data-status='{status}']"))
            .await?;
        self.browser
            .attributes("[data-testid=task]", "data-task")
            .await
    }

    /// Opens the task page's "Files copied" and answers how many it lists, once it lists some.
    pub async fn copied_files(&self) -> anyhow::Result<usize> {
        self.browser
            .find("[data-testid=copied-files] summary")
            .await?
            .click()
            .await?;
        Ok(self
            .browser
            .find_all("[data-testid=copied-files] li")
            .await?
            .len())
    }

    /// The event codes of the task's log, newest first.
    pub async fn event_codes(&self) -> anyhow::Result<Vec<String>> {
        self.browser
            .attributes("[data-testid=event]", "data-code")
            .await
    }

    async fn shown(&self, within: &str) -> anyhow::Result<TaskShown> {
        let progress = self
            .browser
            .find(&format!("{within}[data-testid=task-progress]"))
            .await?;
        let figures = self
            .browser
            .find(&format!("{within}[data-testid=task-figures]"))
            .await?;
        Ok(TaskShown {
            status: progress.attr("data-status").await?.unwrap_or_default(),
            percent: progress
                .attr("data-percent")
                .await?
                .and_then(|p| p.parse().ok()),
            figures: figures.text().await?,
        })
    }
}
