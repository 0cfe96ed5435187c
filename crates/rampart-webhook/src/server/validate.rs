//! `POST /validate`: content type, body limit and read timeout, parsing, the in-flight limit
//! and the request deadline, the decision, metrics, the decision log and the response.

use std::sync::atomic::Ordering::Relaxed;
use std::time::{Duration, Instant};

use http::{header, Request, Response, StatusCode};
use hyper::body::Incoming;

use super::body::{drain, read_limited};
use super::{error, text, AppState, Body};
use crate::metrics::ErrorKind;
use crate::review;

/// kube-apiserver's `?timeout=10s` (whole seconds, as it sends them; `ms` and `m` accepted).
fn timeout_param(query: Option<&str>) -> Option<Duration> {
    query?
        .split('&')
        .find_map(|kv| kv.strip_prefix("timeout="))
        .and_then(crate::config::parse_duration)
}

pub(super) async fn validate(
    state: &AppState,
    req: Request<Incoming>,
    start: Instant,
) -> Response<Body> {
    let limits = &state.limits;
    let budget = timeout_param(req.uri().query())
        .map_or(limits.request_timeout, |t| t.min(limits.request_timeout));
    let deadline = start + budget;
    let json = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(';')
                .next()
                .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/json"))
        });
    if !json {
        state.metrics.error(ErrorKind::BadRequest);
        return error(
            StatusCode::BAD_REQUEST,
            "expected Content-Type: application/json",
        );
    }
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    let max = limits.max_body_bytes;
    let drain_cap = (max as u64).saturating_mul(DRAIN_FACTOR);
    if declared.is_some_and(|n| n > max as u64) {
        state.metrics.error(ErrorKind::TooLarge);
        if declared.is_some_and(|n| n <= drain_cap) {
            drain(req.into_body(), drain_cap, limits.read_timeout).await;
        }
        return too_large(max);
    }
    let mut body = req.into_body();
    let bytes = match tokio::time::timeout(limits.read_timeout, read_limited(&mut body, max)).await
    {
        Ok(Ok(Some(b))) => b,
        Ok(Ok(None)) => {
            state.metrics.error(ErrorKind::TooLarge);
            drain(body, drain_cap, limits.read_timeout).await;
            return too_large(max);
        }
        Ok(Err(e)) => {
            state.metrics.error(ErrorKind::BadRequest);
            return close(error(
                StatusCode::BAD_REQUEST,
                &format!("cannot read request body: {e}"),
            ));
        }
        Err(_) => {
            state.metrics.error(ErrorKind::ReadTimeout);
            return close(error(
                StatusCode::REQUEST_TIMEOUT,
                &format!("request body not received within {:?}", limits.read_timeout),
            ));
        }
    };
    let request = match review::parse_bytes(bytes) {
        Ok(r) => r,
        Err(e) => {
            state.metrics.error(ErrorKind::BadRequest);
            tracing::info!(error = %e, "rejected malformed AdmissionReview");
            return error(StatusCode::BAD_REQUEST, &e.to_string());
        }
    };
    // Shed load at the deadline rather than queue past it: the API server would give up anyway.
    let Ok(Ok(_permit)) = tokio::time::timeout_at(deadline.into(), state.in_flight.acquire()).await
    else {
        state.metrics.error(ErrorKind::Timeout);
        return error(
            StatusCode::SERVICE_UNAVAILABLE,
            "overloaded: no capacity before the request deadline",
        );
    };
    state.metrics.in_flight.fetch_add(1, Relaxed);
    let decided =
        tokio::time::timeout_at(deadline.into(), state.engine.decide(&request, deadline)).await;
    state.metrics.in_flight.fetch_sub(1, Relaxed);
    let Ok((route, answer)) = decided else {
        state.metrics.error(ErrorKind::Timeout);
        return error(
            StatusCode::GATEWAY_TIMEOUT,
            "no decision before the request deadline",
        );
    };
    if answer.lookup_failed() {
        state.metrics.error(ErrorKind::Lookup);
    }
    state.metrics.decision(
        route,
        answer.allowed(),
        answer.warned(),
        answer.exempt(),
        request.dry_run,
    );
    let body = answer.response_json(&request.uid, &request.name);
    log_decision(&request, route, answer, start);
    text(StatusCode::OK, "application/json", body)
}

fn log_decision(
    r: &review::ReviewRequest,
    route: crate::decide::Route,
    answer: crate::decide::Answer,
    start: Instant,
) {
    let elapsed_us = || u64::try_from(start.elapsed().as_micros()).unwrap_or(u64::MAX);
    if answer.allowed() {
        tracing::debug!(
            uid = %r.uid, operation = r.operation.as_str(), resource = route.as_str(),
            namespace = %r.namespace, name = %r.name, user = %r.username, dry_run = r.dry_run,
            allowed = true, warnings = answer.warning_count(), elapsed_us = elapsed_us(),
            "admission decision"
        );
    } else if tracing::enabled!(tracing::Level::INFO) {
        // The denial message of a cached decision is only built when it is logged.
        let code = answer.code();
        let out = answer.into_outcome(&r.name);
        tracing::info!(
            uid = %r.uid, operation = r.operation.as_str(), resource = route.as_str(),
            namespace = %r.namespace, name = %r.name, user = %r.username, dry_run = r.dry_run,
            allowed = false, code, status = out.status.as_ref().map_or("", |s| s.message.as_str()),
            elapsed_us = elapsed_us(), "admission denied"
        );
    }
}

/// An oversize body is read and discarded up to this many times the limit, so the client
/// (which is still sending) sees the 413 instead of a reset connection.
const DRAIN_FACTOR: u64 = 4;

fn too_large(max: usize) -> Response<Body> {
    close(error(
        StatusCode::PAYLOAD_TOO_LARGE,
        &format!("request body larger than {max} bytes"),
    ))
}

/// Asks the client to close the connection (its unread body makes the stream unusable).
fn close(mut r: Response<Body>) -> Response<Body> {
    r.headers_mut().insert(
        header::CONNECTION,
        header::HeaderValue::from_static("close"),
    );
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_timeout_parameter() {
        assert_eq!(
            timeout_param(Some("timeout=5s")),
            Some(Duration::from_secs(5))
        );
        assert_eq!(
            timeout_param(Some("a=b&timeout=250ms")),
            Some(Duration::from_millis(250))
        );
        assert_eq!(timeout_param(Some("a=b")), None);
        assert_eq!(timeout_param(None), None);
    }
}
