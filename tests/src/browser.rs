//! Screenshots of every open page when a browser test fails, under
//! `target/browser-failures/`, so a red CI run shows what the person saw.

use std::panic::AssertUnwindSafe;
use std::path::PathBuf;

use futures_util::FutureExt;

use crate::cdp::Page;

/// `<workspace>/target/browser-failures`, found from the test executable.
pub fn failure_dir() -> PathBuf {
    std::env::current_exe()
        .ok()
        .and_then(|exe| {
            exe.ancestors()
                .nth(3)
                .map(|target| target.join("browser-failures"))
        })
        .unwrap_or_else(|| PathBuf::from("target/browser-failures"))
}

/// Runs a browser test body; if it panics, saves a screenshot of each page
/// and then fails with the original panic.
pub async fn with_failure_screenshots<F>(test: &str, pages: &[&Page], body: F)
where
    F: std::future::Future<Output = ()>,
{
    let outcome = AssertUnwindSafe(body).catch_unwind().await;
    if let Err(panic) = outcome {
        let dir = failure_dir();
        for (i, page) in pages.iter().enumerate() {
            let path = dir.join(format!("{test}-{i}.png"));
            // A hung page must not hang the report.
            let shot =
                tokio::time::timeout(std::time::Duration::from_secs(10), page.screenshot(&path));
            if shot.await.is_ok() {
                eprintln!("screenshot of page {i}: {}", path.display());
            }
        }
        std::panic::resume_unwind(panic);
    }
}
