//! The AWS emulator: a moto server process (`infra/emulator.py`) on a free
//! loopback port, stopped (killed and reaped) by [`Emulator::stop`] or when
//! dropped.

use std::path::{Path, PathBuf};
use std::time::Duration;

use tokio::process::{Child, Command};

/// Why the emulator could not be started.
#[derive(Debug, thiserror::Error)]
pub enum EmulatorError {
    #[error(
        "moto was not found: run ./infra/setup.sh (it installs it into .venv), \
         or point PULSE_PYTHON at a Python that has `moto[server]` installed"
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

/// The Python that has moto installed: `$PULSE_PYTHON`, the workspace's
/// `.venv`, or `python3` on `PATH` (checked by importing moto).
pub fn find_python(workspace: &Path) -> Option<PathBuf> {
    let candidates =
        [std::env::var_os("PULSE_PYTHON").map(PathBuf::from), Some(workspace.join(".venv/bin/python")), Some(PathBuf::from("python3"))];
    candidates.into_iter().flatten().find(|python| {
        std::process::Command::new(python)
            .args(["-c", "import moto.server"])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    })
}

/// A free TCP port on 127.0.0.1.
pub fn free_port() -> std::io::Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

impl Emulator {
    /// Starts moto (through `infra/emulator.py`) on `port` (0: a free one)
    /// and waits until it answers.
    pub async fn start(workspace: &Path, port: u16) -> Result<Self, EmulatorError> {
        let python = find_python(workspace).ok_or(EmulatorError::NotInstalled)?;
        let port = if port == 0 { free_port()? } else { port };
        let log = std::env::temp_dir().join(format!("pulse-moto-{port}.log"));
        let log_file = std::fs::File::create(&log)?;
        let child = Command::new(&python)
            .arg(workspace.join("infra/emulator.py"))
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

    /// The server's process id (none once it has been reaped).
    pub fn pid(&self) -> Option<u32> {
        self.child.id()
    }

    /// Stops the server and waits for it to exit (reaping it).
    pub async fn stop(mut self) {
        let _ = self.child.kill().await;
    }
}

impl Drop for Emulator {
    /// Kills the server and reaps it: a stack dropped without [`Emulator::stop`]
    /// (a failed start, a test's end, an interrupted start-up) leaves neither
    /// a running moto nor a zombie. A killed process is gone within
    /// milliseconds; the wait is bounded at about a second all the same.
    fn drop(&mut self) {
        if matches!(self.child.try_wait(), Ok(Some(_))) {
            return;
        }
        let _ = self.child.start_kill();
        for _ in 0..200 {
            match self.child.try_wait() {
                Ok(None) => std::thread::sleep(Duration::from_millis(5)),
                _ => return,
            }
        }
    }
}
