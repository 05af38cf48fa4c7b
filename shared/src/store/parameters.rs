//! The stack's own API URL, kept in an SSM parameter by the template.
//!
//! A function cannot be given its own HTTP API's URL as an environment
//! variable (the API refers to the functions, so the reverse would be a
//! circle), so when the stack is deployed without `PublicBaseUrl` the
//! template writes the API's endpoint to a parameter whose *name* the
//! functions get, and each function reads it once at cold start. The local
//! stack does the same against the emulator, through this one function.

use aws_config::SdkConfig;

use crate::config::Config;
use crate::Result;

/// Fills in `config.public_base_url` from its parameter when the stack was
/// deployed without one; a base URL set in the environment wins.
pub async fn resolve_public_base_url(config: &mut Config, sdk: &SdkConfig) -> Result<()> {
    if !config.public_base_url.is_empty() {
        return Ok(());
    }
    let out = aws_sdk_ssm::Client::new(sdk)
        .get_parameter()
        .name(&config.public_base_url_parameter)
        .send()
        .await
        .map_err(crate::Error::aws("GetParameter"))?;
    let value = out.parameter.and_then(|p| p.value).unwrap_or_default();
    config.set_public_base_url(&value)?;
    Ok(())
}
