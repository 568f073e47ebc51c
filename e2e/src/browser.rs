//! Headless Chromium through chromedriver.

use anyhow::{Context, bail};
use fantoccini::actions::{InputSource, MouseActions, PointerAction};
use fantoccini::{Client, ClientBuilder, Locator, elements::Element};
use hyper_util::client::legacy::connect::HttpConnector;
use std::path::Path;
use std::process::Stdio;
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
/// How long an element may take to appear (the app is WASM: it loads, then fetches).
const WAIT: Duration = Duration::from_secs(20);

/// A headless browser session; the browser and its driver end when dropped.
#[derive(Debug)]
pub struct Browser {
    client: Client,
    _driver: Child,
    _profile: tempfile::TempDir,
    /// Where the browser saves what it downloads.
    downloads: tempfile::TempDir,
}

impl Browser {
    /// Starts chromedriver on a port of its choosing (it says which) and opens a headless
    /// Chromium session through it.
    pub async fn launch() -> anyhow::Result<Self> {
        for program in [CHROMIUM, CHROMEDRIVER] {
            if !Path::new(program).is_file() {
                bail!(
                    "{program} is missing: install Debian's chromium and chromium-driver (`make setup`)"
                );
            }
        }
        let (driver, port) = start_driver().await?;
        let profile = tempfile::tempdir().context("create a browser profile directory")?;
        let downloads = tempfile::tempdir().context("create a download directory")?;
        let client = connect(port, profile.path(), downloads.path()).await?;
        Ok(Self {
            client,
            _driver: driver,
            _profile: profile,
            downloads,
        })
    }

    pub async fn goto(&self, url: &str) -> anyhow::Result<()> {
        self.client
            .goto(url)
            .await
            .with_context(|| format!("open {url}"))
    }

    /// Waits for the first element matching the CSS selector.
    pub async fn find(&self, css: &str) -> anyhow::Result<Element> {
        self.client
            .wait()
            .at_most(WAIT)
            .for_element(Locator::Css(css))
            .await
            .with_context(|| format!("no element `{css}` appeared within {} s", WAIT.as_secs()))
    }

    /// Whether an element matches the CSS selector now, without waiting for one (for what a
    /// page shows together with something already found).
    pub async fn is_present(&self, css: &str) -> anyhow::Result<bool> {
        Ok(!self.client.find_all(Locator::Css(css)).await?.is_empty())
    }

    /// Every element matching the CSS selector, once at least one is there.
    pub async fn find_all(&self, css: &str) -> anyhow::Result<Vec<Element>> {
        self.find(css).await?;
        Ok(self.client.find_all(Locator::Css(css)).await?)
    }

    /// Types `text` where the keyboard's focus is, as a person would after the page moved it.
    pub async fn type_where_focused(&self, text: &str) -> anyhow::Result<()> {
        let focused = self
            .client
            .active_element()
            .await
            .context("the focused element")?;
        focused
            .send_keys(text)
            .await
            .context("type into the focused element")
    }

    /// The attribute `name` of every element matching the CSS selector, in document order, once
    /// at least one is there (`""` where an element has none).
    pub async fn attributes(&self, css: &str, name: &str) -> anyhow::Result<Vec<String>> {
        let mut values = Vec::new();
        for element in self.find_all(css).await? {
            values.push(element.attr(name).await?.unwrap_or_default());
        }
        Ok(values)
    }

    /// Waits until the browser is at a URL containing `fragment` (after a navigation the page
    /// starts by itself, such as a redirect from script).
    pub async fn wait_for_url(&self, fragment: &str) -> anyhow::Result<()> {
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            let url = self.client.current_url().await?;
            if url.as_str().contains(fragment) {
                return Ok(());
            }
            if tokio::time::Instant::now() >= deadline {
                bail!("the browser stayed at {url}, never reaching {fragment}");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Moves the mouse pointer over the middle of an element, as a person hovering it.
    pub async fn hover(&self, element: Element) -> anyhow::Result<()> {
        let mouse = MouseActions::new("mouse".to_owned()).then(PointerAction::MoveToElement {
            element,
            duration: None,
            x: 0.0,
            y: 0.0,
        });
        self.client
            .perform_actions(mouse)
            .await
            .context("move the pointer")
    }

    /// Goes back one page in the history, as the browser's Back button does.
    pub async fn back(&self) -> anyhow::Result<()> {
        self.client.back().await.context("go back")
    }

    /// Reloads the page, as the browser's reload button does.
    pub async fn reload(&self) -> anyhow::Result<()> {
        self.client.refresh().await.context("reload the page")
    }

    /// Runs a script in the page; its `return` value comes back.
    pub async fn execute(
        &self,
        script: &str,
        args: Vec<serde_json::Value>,
    ) -> anyhow::Result<serde_json::Value> {
        Ok(self.client.execute(script, args).await?)
    }

    /// Runs a script that answers by calling its last argument.
    pub async fn execute_async(
        &self,
        script: &str,
        args: Vec<serde_json::Value>,
    ) -> anyhow::Result<serde_json::Value> {
        Ok(self.client.execute_async(script, args).await?)
    }

    /// The bytes of a file the browser downloaded, once it has finished saving it.
    pub async fn downloaded(&self, name: &str) -> anyhow::Result<Vec<u8>> {
        let path = self.downloads.path().join(name);
        let deadline = tokio::time::Instant::now() + WAIT;
        // Chromium writes `<name>.crdownload` and renames it when the download is complete.
        while !path.is_file() {
            if tokio::time::Instant::now() >= deadline {
                bail!("{name} was not downloaded within {} s", WAIT.as_secs());
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        std::fs::read(&path).with_context(|| format!("read {}", path.display()))
    }

    /// Lets the page at hand read and write the clipboard, as a person allowing it would
    /// (WebDriver's Set Permission), so that a journey can read what a copy button put there.
    pub async fn allow_clipboard(&self) -> anyhow::Result<()> {
        for name in ["clipboard-read", "clipboard-write"] {
            self.client
                .issue_cmd(SetPermission { name })
                .await
                .with_context(|| format!("grant {name}"))?;
        }
        Ok(())
    }

    /// The text on the clipboard (needs [`Browser::allow_clipboard`]).
    pub async fn clipboard_text(&self) -> anyhow::Result<String> {
        let read = "const done = arguments[0];
            navigator.clipboard.readText().then(done, e => done('refused: ' + e));";
        let text = self.execute_async(read, Vec::new()).await?;
        text.as_str()
            .map(str::to_owned)
            .context("the clipboard holds no text")
    }

    /// Waits until no element matches the CSS selector (the app re-renders after a fetch).
    pub async fn wait_until_absent(&self, css: &str) -> anyhow::Result<()> {
        let deadline = tokio::time::Instant::now() + WAIT;
        while !self.client.find_all(Locator::Css(css)).await?.is_empty() {
            if tokio::time::Instant::now() >= deadline {
                bail!("`{css}` was still there after {} s", WAIT.as_secs());
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        Ok(())
    }

    /// Saves a PNG of the viewport.
    pub async fn screenshot(&self, path: &Path) -> anyhow::Result<()> {
        let png = self
            .client
            .screenshot()
            .await
            .context("take a screenshot")?;
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::write(path, png).with_context(|| format!("write {}", path.display()))
    }

    /// Ends the WebDriver session (the browser quits).
    pub async fn close(self) -> anyhow::Result<()> {
        self.client.close().await.context("close the browser")
    }
}

/// WebDriver's Set Permission: `name` granted to the current page's origin.
#[derive(Debug)]
struct SetPermission {
    name: &'static str,
}

impl fantoccini::wd::WebDriverCompatibleCommand for SetPermission {
    fn endpoint(
        &self,
        base: &url::Url,
        session: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base.join(&format!(
            "session/{}/permissions",
            session.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        let body = serde_json::json!({"descriptor": {"name": self.name}, "state": "granted"});
        (http::Method::POST, Some(body.to_string()))
    }
}

/// Connects to chromedriver once it listens (it takes a moment to start).
async fn connect(port: u16, profile: &Path, downloads: &Path) -> anyhow::Result<Client> {
    let capabilities = serde_json::json!({
        "goog:chromeOptions": {
            "binary": CHROMIUM,
            "args": [
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--window-size=1280,900",
                format!("--user-data-dir={}", profile.display()),
            ],
            "prefs": {
                "download.default_directory": downloads.display().to_string(),
                "download.prompt_for_download": false,
            }
        }
    });
    let serde_json::Value::Object(capabilities) = capabilities else {
        bail!("capabilities are an object")
    };
    let url = format!("http://127.0.0.1:{port}");
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let attempt = ClientBuilder::new(HttpConnector::new())
            .capabilities(capabilities.clone())
            .connect(&url)
            .await;
        match attempt {
            Ok(client) => return Ok(client),
            Err(e) if tokio::time::Instant::now() >= deadline => {
                bail!("cannot open a browser session through chromedriver: {e}")
            }
            Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
        }
    }
}

/// Starts chromedriver, once more if it ends before it listens (a CI run of 2026-12-05 saw it end
/// so, silently, once); what it wrote to stderr goes into the error and the test's output.
async fn start_driver() -> anyhow::Result<(Child, u16)> {
    let mut last = anyhow::anyhow!("chromedriver was not started");
    for _ in 0..2 {
        let mut driver = Command::new(CHROMEDRIVER)
            .arg("--port=0")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .context("start chromedriver")?;
        match driver_port(&mut driver).await {
            Ok(port) => {
                if let Some(stderr) = driver.stderr.take() {
                    let mut lines = BufReader::new(stderr).lines();
                    tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
                }
                return Ok((driver, port));
            }
            Err(e) => {
                // It may still be running, silent (a timeout): stop it before reading the rest.
                let _ = driver.start_kill();
                let mut said = String::new();
                if let Some(mut stderr) = driver.stderr.take() {
                    let _ = tokio::io::AsyncReadExt::read_to_string(&mut stderr, &mut said).await;
                }
                let status = driver
                    .wait()
                    .await
                    .map(|s| s.to_string())
                    .unwrap_or_default();
                last = e.context(format!("chromedriver ({status}) said: {said}"));
                eprintln!("{last:#}");
            }
        }
    }
    Err(last)
}

/// The port chromedriver says it listens on (`… started successfully on port N.`); what else it
/// prints is read and dropped, so that it never writes to a closed pipe.
async fn driver_port(driver: &mut Child) -> anyhow::Result<u16> {
    let stdout = driver.stdout.take().context("chromedriver's stdout")?;
    let mut lines = BufReader::new(stdout).lines();
    let started = async {
        while let Some(line) = lines.next_line().await? {
            if let Some(port) = line
                .split_once("started successfully on port ")
                .and_then(|(_, rest)| rest.trim_end_matches('.').parse().ok())
            {
                return Ok(port);
            }
        }
        bail!("chromedriver ended before it said its port")
    };
    let port = tokio::time::timeout(WAIT, started)
        .await
        .context("chromedriver did not say its port in time")??;
    tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
    Ok(port)
}
