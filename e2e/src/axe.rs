//! Accessibility checks with axe-core (npm, pinned and installed into `.tools` by `make setup`):
//! a journey checks every page it visits and fails on a serious or critical violation.

use crate::Browser;
use anyhow::{Context, bail};

/// axe-core's browser build, as `make setup` installs it.
fn axe_source() -> anyhow::Result<String> {
    let path = crate::workspace_root().join(".tools/node_modules/axe-core/axe.min.js");
    std::fs::read_to_string(&path).with_context(|| {
        format!(
            "read {}: run `make setup` to install axe-core",
            path.display()
        )
    })
}

/// Runs axe-core on the page as it is now; a serious or critical violation is an error that
/// names the rule, the page and the elements.
pub async fn check_accessibility(browser: &Browser, page: &str) -> anyhow::Result<()> {
    let loaded = browser
        .execute("return typeof window.axe === 'object';", vec![])
        .await?;
    if loaded != serde_json::Value::Bool(true) {
        browser.execute(&axe_source()?, vec![]).await?;
    }
    let violations = browser
        .execute_async(
            r"const done = arguments[arguments.length - 1];
            axe.run(document, { resultTypes: ['violations'] })
              .then(r => done(r.violations
                .filter(v => v.impact === 'serious' || v.impact === 'critical')
                .map(v => `${v.impact} ${v.id}: ${v.help} (${v.nodes.slice(0, 3).map(n => n.target.join(' ')).join('; ')})`)))
              .catch(e => done([`axe-core failed: ${e}`]));",
            vec![],
        )
        .await?;
    let found: Vec<String> = serde_json::from_value(violations).context("axe-core's answer")?;
    if !found.is_empty() {
        bail!("accessibility violations on {page}:\n{}", found.join("\n"));
    }
    Ok(())
}
