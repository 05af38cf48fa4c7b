//! `pulse-local`: runs the whole stack on this machine (see `lib.rs`).
//!
//! Environment: `PULSE_PORT` (HTTP routes, default 3000), `PULSE_MOTO_PORT`
//! (emulator, default a free port), `PULSE_ADMIN_API_KEY` (default
//! `local-dev-key`). Ctrl-C (SIGINT), SIGTERM (`kill <pid>`) and SIGHUP
//! stop everything it started, also during start-up: the emulator child is
//! killed and reaped before the process exits.

use pulse_local::{LocalStack, Options};
use tokio::signal::unix::{signal, Signal, SignalKind};

/// The signals that stop the stack, listened to from creation on.
struct StopSignals {
    interrupt: Signal,
    terminate: Signal,
    hangup: Signal,
}

impl StopSignals {
    fn listen() -> std::io::Result<Self> {
        Ok(StopSignals {
            interrupt: signal(SignalKind::interrupt())?,
            terminate: signal(SignalKind::terminate())?,
            hangup: signal(SignalKind::hangup())?,
        })
    }

    /// The name of the next stop signal received.
    async fn next(&mut self) -> &'static str {
        tokio::select! {
            _ = self.interrupt.recv() => "SIGINT",
            _ = self.terminate.recv() => "SIGTERM",
            _ = self.hangup.recv() => "SIGHUP",
        }
    }
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    pulse_shared::telemetry::init();
    let port = |name: &str, default: u16| std::env::var(name).ok().and_then(|p| p.parse().ok()).unwrap_or(default);
    let mut options = Options::new();
    options.http_port = port("PULSE_PORT", 3000);
    options.emulator_port = port("PULSE_MOTO_PORT", 0);
    options.api_key = std::env::var("PULSE_ADMIN_API_KEY").unwrap_or_else(|_| "local-dev-key".into());
    // listening before the emulator starts: a signal during start-up drops
    // the half-started stack, which kills and reaps its emulator
    let mut stop = StopSignals::listen()?;
    let stack = tokio::select! {
        started = LocalStack::start(options) => started?,
        signal = stop.next() => {
            eprintln!("{signal} while starting: stopped");
            return Ok(());
        }
    };
    let b = &stack.base_url;
    println!();
    println!("Pulse local stack is running.");
    println!("  console            {b}/console");
    for u in &stack.console_users {
        println!(
            "    sign in as       {}  temporary password  {}   ({}; you choose your own password at the first sign-in)",
            u.username,
            u.temporary_password,
            u.groups.join(", ")
        );
    }
    println!("  local stack home   {b}/_local");
    println!("  outbox (emails)    {b}/_local/outbox");
    println!("  invocations        {b}/_local/invocations");
    println!("  admin API          {b}/admin/...   (header  x-api-key: {})", stack.api_key);
    println!("  try                curl -H 'x-api-key: {}' {b}/admin/health", stack.api_key);
    println!("  survey pages       {b}/s/<token>");
    println!("  AWS emulator       {}   (moto; e.g. aws --endpoint-url {} s3 ls)", stack.emulator_url, stack.emulator_url);
    for s in &stack.schedules {
        println!("  schedule           {} {}  fire now: curl -X POST {b}/_local/schedules/{}", s.name, s.expression, s.name);
    }
    println!("Press Ctrl-C to stop.");
    let signal = stop.next().await;
    println!("{signal}: stopping…");
    stack.stop().await;
    Ok(())
}
