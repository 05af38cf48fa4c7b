//! Lambda entry point of `submit-response`; the handler is in `lib.rs`.

use lambda_http::{run, service_fn, Error};

#[tokio::main]
async fn main() -> Result<(), Error> {
    pulse_shared::telemetry::init();
    let app = pulse_shared::App::from_env().await?;
    run(service_fn(|req| submit_response::handle(&app, req))).await
}
