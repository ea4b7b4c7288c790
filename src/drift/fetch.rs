//! `drift --manifest URL`: the published manifest over HTTP(S), so a
//! repository's CI needs only the govbook binary and the handbook's URL.
//! ureq with rustls (the Mozilla roots): a whole-request time limit, a
//! size limit, few redirects, and a clear failure for each way it can go
//! wrong. Nothing is fetched unless the user passes (or a lock file names)
//! a URL.

use std::time::Duration;

/// The largest manifest accepted; a real one is tens of kilobytes.
pub const MAX_MANIFEST: u64 = 4 * 1024 * 1024;

/// Fetches `url`'s body as text, within `timeout` and [`MAX_MANIFEST`] bytes.
pub fn get(url: &str, timeout: Duration) -> Result<String, String> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(timeout))
        .http_status_as_error(false)
        .max_redirects(5)
        .user_agent(concat!("govbook/", env!("CARGO_PKG_VERSION")))
        .build()
        .into();
    let mut response = agent.get(url).call().map_err(|e| describe(&e, timeout))?;
    let status = response.status();
    if !status.is_success() {
        return Err(format!(
            "the server answered {} {}",
            status.as_u16(),
            status.canonical_reason().unwrap_or("")
        ));
    }
    let bytes = response
        .body_mut()
        .with_config()
        .limit(MAX_MANIFEST)
        .read_to_vec()
        .map_err(|e| describe(&e, timeout))?;
    String::from_utf8(bytes).map_err(|_| "the body is not UTF-8 text".into())
}

fn describe(e: &ureq::Error, timeout: Duration) -> String {
    match e {
        ureq::Error::Timeout(_) => format!(
            "no complete answer within {} s (--timeout sets the limit)",
            timeout.as_secs_f64()
        ),
        ureq::Error::BodyExceedsLimit(_) => {
            format!("the body is larger than {MAX_MANIFEST} bytes, too large for a manifest")
        }
        other => other.to_string(),
    }
}
