//! `init`: each function's cold-start init, from process start until the
//! Lambda runtime asks for its first event, against a stand-in of the
//! Lambda Runtime API on 127.0.0.1.

use std::io::{BufRead, BufReader, Read};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, Instant};

const RUNS: usize = 7;
const PATIENCE: Duration = Duration::from_secs(10);
const NEXT: &str = "/2018-06-01/runtime/invocation/next";

/// What the stand-in saw.
enum Seen {
    /// The first `GET …/invocation/next`: the function is ready.
    Next(Instant),
    /// The runtime reported an init error (its body).
    InitError(String),
    /// Any other request: an AWS call (`AWS_ENDPOINT_URL` points here).
    Aws(String),
}

/// The Runtime API stand-in: one listener for every run; each connection
/// reports its first request and is then held open (the `next` request
/// is never answered) until the function's process is killed.
fn stand_in() -> std::io::Result<(u16, Receiver<Seen>)> {
    let listener = TcpListener::bind(("127.0.0.1", 0))?;
    let port = listener.local_addr()?.port();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let tx = tx.clone();
            std::thread::spawn(move || serve(stream, tx));
        }
    });
    Ok((port, rx))
}

fn serve(stream: TcpStream, tx: Sender<Seen>) {
    let mut reader = BufReader::new(stream);
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            return;
        }
        let at = Instant::now();
        let mut target = String::new();
        let mut length = 0usize;
        let mut parts = line.split_whitespace();
        let method = parts.next().unwrap_or_default().to_string();
        let path = parts.next().unwrap_or_default().to_string();
        // the rest of the head
        loop {
            let mut header = String::new();
            if reader.read_line(&mut header).unwrap_or(0) == 0 {
                return;
            }
            let header = header.trim_end();
            if header.is_empty() {
                break;
            }
            if let Some((name, value)) = header.split_once(':') {
                match name.to_ascii_lowercase().as_str() {
                    "content-length" => length = value.trim().parse().unwrap_or(0),
                    "x-amz-target" => target = value.trim().to_string(),
                    _ => {}
                }
            }
        }
        let mut body = vec![0; length];
        let _ = reader.read_exact(&mut body);
        let seen = if method == "GET" && path == NEXT {
            Seen::Next(at)
        } else if path.ends_with("/init/error") {
            Seen::InitError(String::from_utf8_lossy(&body).into_owned())
        } else {
            Seen::Aws(format!("{method} {path} {target}").trim().to_string())
        };
        let hold = matches!(seen, Seen::Next(_));
        let _ = tx.send(seen);
        if hold {
            // held until the process dies and the connection closes
            let _ = reader.read_to_end(&mut Vec::new());
            return;
        }
        let _ = std::io::Write::write_all(reader.get_mut(), b"HTTP/1.1 500 Internal Server Error\r\ncontent-length: 0\r\n\r\n");
    }
}

/// The environment Lambda gives the function (`AWS_ENDPOINT_URL` sends any
/// AWS call to the stand-in, where it is recorded) and every variable
/// `Config` reads, with dummy names: init must not call AWS.
fn environment(function: &str, port: u16, memory_mb: u64) -> Vec<(String, String)> {
    let endpoint = format!("http://127.0.0.1:{port}");
    let mut env: Vec<(String, String)> = [
        ("AWS_LAMBDA_RUNTIME_API", format!("127.0.0.1:{port}")),
        ("AWS_LAMBDA_FUNCTION_NAME", format!("pulse-{function}")),
        ("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", memory_mb.to_string()),
        ("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST".into()),
        ("AWS_LAMBDA_LOG_STREAM_NAME", "2026/11/23/[$LATEST]0123456789abcdef".into()),
        ("AWS_LAMBDA_LOG_GROUP_NAME", format!("/aws/lambda/pulse-{function}")),
        ("AWS_REGION", "us-east-1".into()),
        ("AWS_DEFAULT_REGION", "us-east-1".into()),
        ("AWS_ACCESS_KEY_ID", "AKIDBENCHBENCHBENCH".into()),
        ("AWS_SECRET_ACCESS_KEY", "bench-secret".into()),
        ("AWS_SESSION_TOKEN", "bench-session".into()),
        ("AWS_ENDPOINT_URL", endpoint.clone()),
        ("_HANDLER", "bootstrap".into()),
        ("LAMBDA_TASK_ROOT", "/var/task".into()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    for name in pulse_shared::Config::VARIABLES {
        let value = match name {
            "SES_SEND_RATE" => "14".to_string(),
            "IMPORT_SLICE_SECONDS" => "600".to_string(),
            "PUBLIC_BASE_URL" => "https://surveys.example.com".to_string(),
            "SENDER_EMAIL" => "surveys@example.com".to_string(),
            "SFTP_SERVER_ID" | "SFTP_USER_ROLE_ARN" => String::new(),
            "SALESFORCE_LOOPBACK_HTTP" => "false".to_string(),
            "UPLOAD_RETENTION_DAYS" | "LOG_RETENTION_DAYS" => "30".to_string(),
            "DEAD_LETTER_QUEUES" => format!("SendDeadLetterQueue={endpoint}/123456789012/pulse-send-dlq"),
            n if n.ends_with("_QUEUE_URL") => format!("{endpoint}/123456789012/pulse-{}", n.trim_end_matches("_QUEUE_URL").to_lowercase()),
            n => format!("pulse-{}", n.to_lowercase().replace('_', "-")),
        };
        env.push((name.to_string(), value));
    }
    env
}

/// One cold start: spawn → the first `next` request. Returns the time and
/// the AWS calls made before it.
fn one_start(binary: &Path, env: &[(String, String)], seen: &Receiver<Seen>) -> Result<(Duration, Vec<String>), String> {
    while seen.try_recv().is_ok() {}
    let mut aws = Vec::new();
    let start = Instant::now();
    let mut child = Command::new(binary)
        .env_clear()
        .envs(env.iter().map(|(k, v)| (k, v)))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("{}: {e}", binary.display()))?;
    let outcome = loop {
        match seen.recv_timeout(Duration::from_millis(100)) {
            Ok(Seen::Next(at)) => break Ok(at - start),
            Ok(Seen::InitError(body)) => break Err(format!("init error: {body}")),
            Ok(Seen::Aws(call)) => aws.push(call),
            Err(RecvTimeoutError::Timeout) if start.elapsed() > PATIENCE => break Err("no request for an event within 10 s".into()),
            Err(_) => {
                if let Ok(Some(status)) = child.try_wait() {
                    let mut stderr = String::new();
                    child.stderr.take().map(|mut e| e.read_to_string(&mut stderr));
                    break Err(format!("exited with {status} before asking for an event: {}", stderr.trim()));
                }
            }
        }
    };
    let _ = child.kill();
    let _ = child.wait();
    outcome.map(|d| (d, aws))
}

pub fn init() {
    println!("\nfunction init: process start until the first GET {NEXT}");
    println!("(native {} release builds in target/release standing in for the arm64 Lambda artifacts; a local", std::env::consts::ARCH);
    println!(" Runtime API stand-in on 127.0.0.1; one warm-up start, then the median of {RUNS}; target: init <= 30 ms)");
    println!("{:>20} {:>10} {:>10} {:>8} {:>8}  AWS calls during init", "function", "binary MB", "median ms", "min ms", "max ms");
    let (port, seen) = match stand_in() {
        Ok(s) => s,
        Err(e) => {
            eprintln!("the Runtime API stand-in could not listen: {e}");
            std::process::exit(1);
        }
    };
    let functions = super::stack::functions();
    let dir = pulse_local::workspace_root().join("target/release");
    let mut missing = false;
    for spec in &functions {
        let f = spec.binary.as_str();
        let binary = dir.join(f);
        let Ok(meta) = std::fs::metadata(&binary) else {
            println!("{f:>20} not built");
            missing = true;
            continue;
        };
        let env = environment(f, port, spec.memory_size);
        let mut times = Vec::new();
        let mut calls = Vec::new();
        let mut failure = None;
        for run in 0..=RUNS {
            match one_start(&binary, &env, &seen) {
                Ok((t, aws)) => {
                    if run > 0 {
                        times.push(t.as_secs_f64() * 1000.0);
                    }
                    calls.extend(aws);
                }
                Err(e) => {
                    failure = Some(e);
                    break;
                }
            }
        }
        let size = meta.len() as f64 / 1_048_576.0;
        match failure {
            Some(e) => println!("{f:>20} {size:>10.2} failed: {e}"),
            None => {
                times.sort_by(f64::total_cmp);
                calls.sort();
                calls.dedup();
                let calls = if calls.is_empty() { "none".to_string() } else { calls.join("; ") };
                println!(
                    "{f:>20} {size:>10.2} {:>10.2} {:>8.2} {:>8.2}  {calls}",
                    times[times.len() / 2],
                    times[0],
                    times[times.len() - 1]
                );
            }
        }
    }
    if missing {
        let crates: Vec<&str> = functions.iter().map(|f| f.binary.as_str()).collect();
        println!("  (build them with: cargo build --release --locked -p {}; ./infra/bench.sh does)", crates.join(" -p "));
    }
}
