//! Lambda entry point of `admin-api`; the handler is in `lib.rs`.

use std::sync::Arc;

use lambda_http::{run, service_fn, Error};

#[tokio::main]
async fn main() -> Result<(), Error> {
    pulse_shared::telemetry::init();
    let app = Arc::new(pulse_shared::App::from_env().await?);
    run(service_fn(|req| admin_api::handle(&app, req))).await
}
