//! The AWS emulator: a moto server process on a free loopback port, stopped
//! when dropped.

use std::path::{Path, PathBuf};
use std::time::Duration;

use tokio::process::{Child, Command};

/// Why the emulator could not be started.
#[derive(Debug, thiserror::Error)]
pub enum EmulatorError {
    #[error(
        "moto server was not found: install it with `pip install -r infra/requirements.txt` \
         (or run ./infra/local.sh, which does), or point MOTO_SERVER at its executable"
    )]
    NotInstalled,
    #[error("moto server could not be started: {0}")]
    Spawn(#[from] std::io::Error),
    #[error("moto server did not answer on {url} within {seconds} s")]
    NotReady { url: String, seconds: u64 },
}

/// A running moto server.
#[derive(Debug)]
pub struct Emulator {
    pub url: String,
    pub port: u16,
    child: Child,
}

/// The moto executable: `$MOTO_SERVER`, the workspace's `.venv`, or `PATH`.
pub fn find_moto(workspace: &Path) -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("MOTO_SERVER") {
        return Some(PathBuf::from(p));
    }
    let venv = workspace.join(".venv/bin/moto_server");
    if venv.is_file() {
        return Some(venv);
    }
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths).map(|d| d.join("moto_server")).find(|p| p.is_file())
    })
}

/// A free TCP port on 127.0.0.1.
pub fn free_port() -> std::io::Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

impl Emulator {
    /// Starts moto on `port` (0: a free one) and waits until it answers.
    pub async fn start(workspace: &Path, port: u16) -> Result<Self, EmulatorError> {
        let moto = find_moto(workspace).ok_or(EmulatorError::NotInstalled)?;
        let port = if port == 0 { free_port()? } else { port };
        let log = std::env::temp_dir().join(format!("pulse-moto-{port}.log"));
        let log_file = std::fs::File::create(&log)?;
        let child = Command::new(&moto)
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .stdout(log_file.try_clone()?)
            .stderr(log_file)
            .kill_on_drop(true)
            .spawn()?;
        let url = format!("http://127.0.0.1:{port}");
        let emulator = Emulator { url: url.clone(), port, child };
        let client = reqwest::Client::new();
        let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
        loop {
            let ready = client.get(format!("{url}/moto-api/")).timeout(Duration::from_secs(2)).send().await;
            if matches!(ready, Ok(r) if r.status().is_success()) {
                return Ok(emulator);
            }
            if tokio::time::Instant::now() > deadline {
                return Err(EmulatorError::NotReady { url, seconds: 60 });
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Stops the server and waits for it to exit.
    pub async fn stop(mut self) {
        let _ = self.child.kill().await;
    }
}
