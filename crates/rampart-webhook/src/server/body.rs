//! Reading request bodies within a size limit, and discarding the rest of an oversize one.

use std::time::Duration;

use bytes::Bytes;
use http_body_util::BodyExt;
use hyper::body::Incoming;

/// Reads the body; `None` once it exceeds `max` bytes (the excess stays unread). A body that
/// arrives in one frame (the usual case) is kept as received, without a copy.
pub(super) async fn read_limited(
    body: &mut Incoming,
    max: usize,
) -> Result<Option<Bytes>, hyper::Error> {
    let mut first: Option<Bytes> = None;
    let mut rest: Option<bytes::BytesMut> = None;
    while let Some(frame) = body.frame().await {
        let Ok(data) = frame?.into_data() else {
            continue;
        };
        let have = first.as_ref().map_or(0, Bytes::len) + rest.as_ref().map_or(0, |b| b.len());
        if have + data.len() > max {
            return Ok(None);
        }
        match (&mut rest, first.take()) {
            (Some(buf), _) => buf.extend_from_slice(&data),
            (None, None) => first = Some(data),
            (None, Some(f)) => {
                let mut buf = bytes::BytesMut::with_capacity(f.len() + data.len());
                buf.extend_from_slice(&f);
                buf.extend_from_slice(&data);
                rest = Some(buf);
            }
        }
    }
    Ok(Some(match rest {
        Some(buf) => buf.freeze(),
        None => first.unwrap_or_default(),
    }))
}

/// Discards the rest of a body, up to `cap` bytes and `timeout`; memory use stays constant.
pub(super) async fn drain(mut body: Incoming, cap: u64, timeout: Duration) {
    let _ = tokio::time::timeout(timeout, async {
        let mut seen = 0u64;
        while let Some(Ok(frame)) = body.frame().await {
            if let Ok(data) = frame.into_data() {
                seen += data.len() as u64;
                if seen > cap {
                    break;
                }
            }
        }
    })
    .await;
}
