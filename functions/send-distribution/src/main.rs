//! Lambda entry point of `send-distribution`; the handler is in `lib.rs`.

use lambda_runtime::{run, service_fn, Error};

#[tokio::main]
async fn main() -> Result<(), Error> {
    pulse_shared::telemetry::init();
    let app = pulse_shared::App::from_env().await?;
    run(service_fn(|event| send_distribution::handle(&app, event))).await
}
