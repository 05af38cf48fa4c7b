//! The local stack leaves no emulator behind: `pulse-local` stops its moto
//! child on SIGTERM (`kill <pid>`) and on SIGINT (Ctrl-C), and a stack that
//! is dropped kills and reaps it. Each test starts its own moto server.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use pulse_local::emulator::free_port;
use pulse_local::{workspace_root, LocalStack, Options};

/// How often, and how far apart, the tests look again for what they wait for.
const POLLS: usize = 600;
const POLL_EVERY: Duration = Duration::from_millis(100);

/// The parent process id of `pid`, from `/proc/<pid>/stat` (none: no such process).
fn parent_of(pid: u32) -> Option<u32> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // "pid (comm) state ppid …": comm may hold spaces and parentheses
    stat.rsplit_once(')')?.1.split_whitespace().nth(1)?.parse().ok()
}

/// The process state letter of `pid` (`Z`: a zombie, exited but not reaped).
fn state_of(pid: u32) -> Option<char> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    stat.rsplit_once(')')?.1.split_whitespace().next()?.chars().next()
}

/// The children of `parent` that run `infra/emulator.py`.
fn emulator_children(parent: u32) -> Vec<u32> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let Some(pid) = entry.file_name().to_str().and_then(|n| n.parse::<u32>().ok()) else { continue };
        if parent_of(pid) != Some(parent) {
            continue;
        }
        let cmdline = std::fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default();
        if String::from_utf8_lossy(&cmdline).contains("emulator.py") {
            found.push(pid);
        }
    }
    found
}

/// Waits until process `pid` no longer exists (killed *and* reaped); panics
/// naming its last state if it is still there after the polls.
fn assert_gone(pid: u32, what: &str) {
    for _ in 0..POLLS {
        if state_of(pid).is_none() {
            return;
        }
        std::thread::sleep(POLL_EVERY);
    }
    panic!("{what} (pid {pid}) is still there, in state {:?} (Z: killed but not reaped)", state_of(pid));
}

/// A `pulse-local` process on free ports, its output in a file.
struct Running {
    child: Child,
    out: PathBuf,
    err: PathBuf,
}

impl Running {
    fn start(name: &str) -> Running {
        let dir = std::env::temp_dir();
        let out = dir.join(format!("pulse-local-{name}-{}.out", std::process::id()));
        let err = dir.join(format!("pulse-local-{name}-{}.err", std::process::id()));
        let child = Command::new(env!("CARGO_BIN_EXE_pulse-local"))
            .current_dir(workspace_root())
            .env("PULSE_PORT", free_port().unwrap().to_string())
            .env("PULSE_MOTO_PORT", free_port().unwrap().to_string())
            .env("RUST_LOG", "warn")
            .stdin(Stdio::null())
            .stdout(std::fs::File::create(&out).unwrap())
            .stderr(std::fs::File::create(&err).unwrap())
            .spawn()
            .unwrap();
        Running { child, out, err }
    }

    fn output(&self) -> String {
        let read = |p: &Path| std::fs::read_to_string(p).unwrap_or_default();
        format!("stdout:\n{}\nstderr:\n{}", read(&self.out), read(&self.err))
    }

    /// Waits for the banner that says the stack is up; returns its moto child.
    fn wait_until_running(&mut self) -> u32 {
        for _ in 0..POLLS {
            if let Some(status) = self.child.try_wait().unwrap() {
                panic!("pulse-local exited with {status} before it was running\n{}", self.output());
            }
            if std::fs::read_to_string(&self.out).unwrap_or_default().contains("Press Ctrl-C to stop.") {
                let moto = emulator_children(self.child.id());
                assert_eq!(moto.len(), 1, "one moto child of pulse-local: {moto:?}\n{}", self.output());
                return moto[0];
            }
            std::thread::sleep(POLL_EVERY);
        }
        panic!("pulse-local did not say it was running\n{}", self.output());
    }

    /// Sends `signal` to pulse-local (only to it, by pid) and waits for it to exit.
    fn signal_and_wait(&mut self, signal: libc::c_int) -> std::process::ExitStatus {
        assert_eq!(unsafe { libc::kill(self.child.id() as libc::pid_t, signal) }, 0, "the signal was sent");
        for _ in 0..POLLS {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            std::thread::sleep(POLL_EVERY);
        }
        panic!("pulse-local did not exit after signal {signal}\n{}", self.output());
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_file(&self.out);
        let _ = std::fs::remove_file(&self.err);
    }
}

fn stops_its_emulator_on(signal: libc::c_int, name: &str) {
    let mut local = Running::start(name);
    let moto = local.wait_until_running();
    assert!(state_of(moto).is_some_and(|s| s != 'Z'), "moto runs before the signal");
    let status = local.signal_and_wait(signal);
    assert!(status.success(), "pulse-local exits cleanly on {name}: {status}\n{}", local.output());
    assert!(local.output().contains(&format!("{name}: stopping")), "{}", local.output());
    assert_gone(moto, "the moto server");
}

#[test]
fn sigterm_stops_pulse_local_and_its_moto_server() {
    stops_its_emulator_on(libc::SIGTERM, "SIGTERM");
}

#[test]
fn ctrl_c_stops_pulse_local_and_its_moto_server() {
    stops_its_emulator_on(libc::SIGINT, "SIGINT");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dropped_stack_kills_and_reaps_its_moto_server() {
    let stack = LocalStack::start(Options::new()).await.unwrap();
    let moto = stack.emulator_pid().expect("a running emulator");
    assert_eq!(emulator_children(std::process::id()), vec![moto], "moto is this process's child");
    drop(stack);
    assert_gone(moto, "the moto server of a dropped stack");
}
