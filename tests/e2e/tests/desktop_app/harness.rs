//! What the desktop tests share: tauri-driver started and stopped, a WebDriver session
//! on the built app, and the seller's gestures (click, type, wait for a text, screenshot).

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};

pub const TIMEOUT: Duration = Duration::from_secs(60);

pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target"))
}

pub fn app_binary() -> PathBuf {
    let path = std::env::var_os("TRADEWIND_APP")
        .map(PathBuf::from)
        .unwrap_or_else(|| target_dir().join("debug/tradewind-desktop"));
    assert!(
        path.exists(),
        "build the app first: {} is missing",
        path.display()
    );
    path
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// tauri-driver, stopped with SIGTERM when dropped: SIGKILL would leave
/// WebKitWebDriver running and holding its port.
pub struct Driver {
    child: Child,
    port: u16,
}

impl Driver {
    pub fn start(data_dir: &Path, catalog: &Path) -> Driver {
        let program = std::env::var_os("TAURI_DRIVER").unwrap_or_else(|| "tauri-driver".into());
        let port = free_port();
        let child = Command::new(&program)
            .args([
                "--port",
                &port.to_string(),
                "--native-port",
                &free_port().to_string(),
            ])
            .env("TRADEWIND_DATA_DIR", data_dir)
            .env("TRADEWIND_CATALOG", catalog)
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap_or_else(|error| panic!("cannot start {}: {error}", program.to_string_lossy()));
        Driver { child, port }
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let _ = self.child.wait();
    }
}

/// tauri-driver does not report a failed start: retry the session until a deadline.
pub async fn connect(driver: &Driver, data_dir: &Path) -> Client {
    let mut capabilities = serde_json::Map::new();
    capabilities.insert("browserName".into(), "wry".into());
    capabilities.insert(
        "tauri:options".into(),
        serde_json::json!({
            "application": app_binary(),
            "args": ["--data-dir", data_dir],
        }),
    );
    let deadline = Instant::now() + TIMEOUT;
    loop {
        match ClientBuilder::native()
            .capabilities(capabilities.clone())
            .connect(&format!("http://127.0.0.1:{}", driver.port))
            .await
        {
            Ok(client) => return client,
            Err(error) if Instant::now() < deadline => {
                eprintln!("waiting for tauri-driver: {error}");
                tokio::time::sleep(Duration::from_millis(500)).await;
            }
            Err(error) => panic!("no WebDriver session: {error}"),
        }
    }
}

pub struct Session {
    pub client: Client,
    pub shots: PathBuf,
}

impl Session {
    pub fn css(id: &str) -> String {
        format!("[data-testid=\"{id}\"]")
    }

    pub async fn text(&self, id: &str) -> String {
        self.element(id).await.text().await.unwrap()
    }

    /// Waits until the element's text satisfies `check`, which `invoke` being
    /// asynchronous makes necessary after every click.
    pub async fn wait_text(&self, id: &str, check: impl Fn(&str) -> bool) -> String {
        self.wait_text_within(id, TIMEOUT, check).await
    }

    /// As `wait_text`, for work that takes longer than a click (a model job in a
    /// debug build on a busy machine).
    pub async fn wait_text_within(
        &self,
        id: &str,
        limit: Duration,
        check: impl Fn(&str) -> bool,
    ) -> String {
        let deadline = Instant::now() + limit;
        loop {
            let selector = Session::css(id);
            if let Ok(element) = self.client.find(Locator::Css(&selector)).await
                && let Ok(text) = element.text().await
                && check(&text)
            {
                return text;
            }
            assert!(
                Instant::now() < deadline,
                "{selector} never showed the expected text"
            );
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }

    pub async fn element(&self, id: &str) -> fantoccini::elements::Element {
        let selector = Session::css(id);
        self.client
            .wait()
            .at_most(TIMEOUT)
            .for_element(Locator::Css(&selector))
            .await
            .unwrap_or_else(|error| panic!("no {selector}: {error}"))
    }

    pub async fn click(&self, id: &str) {
        self.element(id).await.click().await.unwrap();
    }

    /// Clicks the first element `css` finds (rows of a table have one test id).
    pub async fn click_first(&self, css: &str) {
        self.client
            .wait()
            .at_most(TIMEOUT)
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|error| panic!("no {css}: {error}"))
            .click()
            .await
            .unwrap();
    }

    pub async fn type_into(&self, id: &str, text: &str) {
        self.element(id).await.send_keys(text).await.unwrap();
    }

    /// How many such elements show once the first has rendered: they come in one
    /// render, but only after the `invoke` that feeds them answers.
    pub async fn count(&self, id: &str) -> usize {
        self.element(id).await;
        self.client
            .find_all(Locator::Css(&Session::css(id)))
            .await
            .unwrap()
            .len()
    }

    pub async fn open_view(&self, view: &str) {
        self.click(&format!("nav-{view}")).await;
        self.text(&format!("view-{view}")).await;
    }

    /// A screenshot taken at once can show the previous frame; let it paint first.
    /// Scrolls the element into the middle of the window, for a screenshot of it.
    pub async fn scroll_to(&self, id: &str) {
        let element = self.element(id).await;
        self.client
            .execute(
                "arguments[0].scrollIntoView({ block: 'center' })",
                vec![serde_json::to_value(element).unwrap()],
            )
            .await
            .unwrap();
    }

    pub async fn screenshot(&self, name: &str) {
        tokio::time::sleep(Duration::from_millis(600)).await;
        let png = self.client.screenshot().await.unwrap();
        std::fs::write(self.shots.join(format!("{name}.png")), png).unwrap();
    }
}

/// Numbers as the UI writes them in English ("2,000").
pub fn grouped(value: u64) -> String {
    let digits = value.to_string();
    let mut out = String::new();
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// Where the screenshots go; the app needs a display.
pub fn shots_dir() -> PathBuf {
    assert!(
        std::env::var_os("DISPLAY").is_some(),
        "the desktop app needs a display: run under xvfb-run"
    );
    let shots = std::env::var_os("TRADEWIND_E2E_SHOTS")
        .map(PathBuf::from)
        .unwrap_or_else(|| target_dir().join("e2e-shots"));
    std::fs::create_dir_all(&shots).unwrap();
    shots
}
