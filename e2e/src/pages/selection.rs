use crate::Browser;

/// Presses a dataset's Select button (on a result card or its landing page) and waits until it
/// shows the dataset as selected.
pub async fn select_dataset(browser: &Browser, id: &str) -> anyhow::Result<()> {
    browser
        .find(&format!("[data-testid=select-{id}]"))
        .await?
        .click()
        .await?;
    browser
        .find(&format!("[data-testid=select-{id}][aria-pressed=true]"))
        .await?;
    Ok(())
}
