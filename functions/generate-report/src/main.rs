//! Lambda entry point of `generate-report`; the handler is in `lib.rs`.

use lambda_runtime::{run, service_fn, Error};

#[tokio::main]
async fn main() -> Result<(), Error> {
    pulse_shared::telemetry::init();
    let app = pulse_shared::App::from_env().await?;
    run(service_fn(|event| generate_report::handle(&app, event))).await
}
