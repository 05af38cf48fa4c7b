//! The `pulse` command as a library: [`run`] takes the arguments and an
//! [`Io`] (where output goes, the environment, whether stderr is a
//! terminal) and returns the exit code, so the tests call it in-process
//! against a local stack; `main.rs` only hands it the process's own.
//!
//! Exit codes (also in `pulse --help`):
//! 0 done; 1 usage or bad input (nothing was sent); 2 the API refused the
//! request; 3 the API or AWS cannot be reached or refused the credentials;
//! 4 the work ran but ended badly (an import failed, a distribution was
//! paused or cancelled, `pulse doctor` found a problem).

pub mod api;
pub mod args;
pub mod commands;
pub mod doctor;
pub mod files;
pub mod output;
pub mod sign;

use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use clap::Parser;

/// Why a command stopped, and so its exit code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// Bad arguments or a bad file: nothing was sent (exit 1).
    Usage(String),
    /// The API answered with an error (exit 2).
    Refused { status: u16, message: String },
    /// No answer, no credentials, no such stack, or the credentials refused (exit 3).
    Unreachable(String),
    /// The work ran but ended badly (exit 4).
    Outcome(String),
}

impl Failure {
    pub fn code(&self) -> i32 {
        match self {
            Failure::Usage(_) => 1,
            Failure::Refused { .. } => 2,
            Failure::Unreachable(_) => 3,
            Failure::Outcome(_) => 4,
        }
    }
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failure::Usage(m) | Failure::Unreachable(m) | Failure::Outcome(m) => f.write_str(m),
            Failure::Refused { status, message } => write!(f, "the API refused the request ({status}): {message}"),
        }
    }
}

pub type Result<T> = std::result::Result<T, Failure>;

/// A writer whose bytes can be read back (the tests' stdout and stderr).
#[derive(Clone, Default)]
pub struct Buffer(Arc<Mutex<Vec<u8>>>);

impl Buffer {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap_or_else(|e| e.into_inner())).into_owned()
    }
}

impl Write for Buffer {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Where a run reads its environment from and writes to.
pub struct Io {
    pub out: Box<dyn Write + Send>,
    pub err: Box<dyn Write + Send>,
    /// The environment variables `pulse` reads (`PULSE_*`); the AWS SDK
    /// reads its own (`AWS_PROFILE`, …) from the process.
    pub env: BTreeMap<String, String>,
    /// Progress bars are drawn only on a terminal.
    pub stderr_is_terminal: bool,
    /// Where `samconfig.toml` is looked for (and its parents).
    pub cwd: PathBuf,
    /// `--quiet`: only the id of what a command creates is printed.
    pub quiet: bool,
}

impl Io {
    /// The process's own stdout, stderr and environment.
    pub fn process() -> Self {
        use std::io::IsTerminal;
        Io {
            out: Box::new(std::io::stdout()),
            err: Box::new(std::io::stderr()),
            env: std::env::vars().filter(|(k, _)| k.starts_with("PULSE_")).collect(),
            stderr_is_terminal: std::io::stderr().is_terminal(),
            cwd: std::env::current_dir().unwrap_or_else(|_| PathBuf::from(".")),
            quiet: false,
        }
    }

    /// Output captured in buffers, with the given environment (tests).
    pub fn captured(env: &[(&str, &str)]) -> (Self, Buffer, Buffer) {
        let (out, err) = (Buffer::default(), Buffer::default());
        let io = Io {
            out: Box::new(out.clone()),
            err: Box::new(err.clone()),
            env: env.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
            stderr_is_terminal: false,
            cwd: std::env::current_dir().unwrap_or_else(|_| PathBuf::from(".")),
            quiet: false,
        };
        (io, out, err)
    }

    pub fn var(&self, name: &str) -> Option<String> {
        self.env.get(name).filter(|v| !v.is_empty()).cloned()
    }
}

/// Runs one `pulse` command line; returns its exit code.
pub async fn run<I, T>(args: I, io: &mut Io) -> i32
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let cli = match args::Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            use clap::error::ErrorKind;
            let help = matches!(
                e.kind(),
                ErrorKind::DisplayHelp | ErrorKind::DisplayVersion | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
            );
            let text = e.render().to_string();
            if help && e.kind() != ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand {
                let _ = write!(io.out, "{text}");
                return 0;
            }
            let _ = write!(io.err, "{text}");
            return 1;
        }
    };
    match commands::dispatch(&cli, io).await {
        Ok(()) => 0,
        Err(f) => {
            let _ = writeln!(io.err, "pulse: {f}");
            f.code()
        }
    }
}
