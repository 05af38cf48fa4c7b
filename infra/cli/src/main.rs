//! `pulse`: see `pulse --help`; the logic is the library's [`pulse_cli::run`].

fn main() {
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("pulse: cannot start the async runtime: {e}");
            std::process::exit(3);
        }
    };
    let mut io = pulse_cli::Io::process();
    let code = runtime.block_on(pulse_cli::run(std::env::args_os(), &mut io));
    std::process::exit(code);
}
