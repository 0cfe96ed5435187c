//! Reading the subject organisations out of a CSR body's `spec.request`: base64 of a PEM
//! PKCS#10 request (RFC 2986). A minimal DER walk: only the subject `Name` is read.

use base64::Engine;
use serde_json::Value;

/// True when the CSR's subject has `O=system:masters`.
pub(crate) fn requests_masters(body: &Value) -> bool {
    body.pointer("/spec/request")
        .and_then(Value::as_str)
        .and_then(organizations_of_request)
        .is_some_and(|orgs| orgs.iter().any(|o| o == "system:masters"))
}

/// The `O=` values of the subject of `spec.request` (base64 PEM), or `None` if unreadable.
pub(crate) fn organizations_of_request(spec_request: &str) -> Option<Vec<String>> {
    let b64 = base64::engine::general_purpose::STANDARD;
    let pem = b64.decode(spec_request.trim()).ok()?;
    let pem = std::str::from_utf8(&pem).ok()?;
    let body: String = pem
        .lines()
        .skip_while(|l| !l.starts_with("-----BEGIN"))
        .skip(1)
        .take_while(|l| !l.starts_with("-----END"))
        .flat_map(|l| l.chars().filter(|c| !c.is_whitespace()))
        .collect();
    let der = b64.decode(body).ok()?;
    subject_organizations(&der)
}

const SEQUENCE: u8 = 0x30;
const SET: u8 = 0x31;
const OID: u8 = 0x06;
/// 2.5.4.10, organizationName.
const ORGANIZATION: &[u8] = &[0x55, 0x04, 0x0a];

/// One DER element: (tag, contents, rest of input).
fn tlv(input: &[u8]) -> Option<(u8, &[u8], &[u8])> {
    let (&tag, rest) = input.split_first()?;
    let (&first, rest) = rest.split_first()?;
    let (len, rest) = if first < 0x80 {
        (usize::from(first), rest)
    } else {
        let n = usize::from(first & 0x7f);
        if n == 0 || n > 4 || rest.len() < n {
            return None;
        }
        let len = rest[..n]
            .iter()
            .fold(0usize, |acc, b| (acc << 8) | usize::from(*b));
        (len, &rest[n..])
    };
    if rest.len() < len {
        return None;
    }
    Some((tag, &rest[..len], &rest[len..]))
}

fn expect(input: &[u8], tag: u8) -> Option<(&[u8], &[u8])> {
    let (t, content, rest) = tlv(input)?;
    (t == tag).then_some((content, rest))
}

fn subject_organizations(der: &[u8]) -> Option<Vec<String>> {
    let (request, _) = expect(der, SEQUENCE)?;
    let (info, _) = expect(request, SEQUENCE)?;
    let (_version_tag, _version, rest) = tlv(info)?;
    let (mut name, _) = expect(rest, SEQUENCE)?;
    let mut orgs = Vec::new();
    while !name.is_empty() {
        let (mut rdn, next) = expect(name, SET)?;
        name = next;
        while !rdn.is_empty() {
            let (atv, next) = expect(rdn, SEQUENCE)?;
            rdn = next;
            let (oid, value) = expect(atv, OID)?;
            if oid == ORGANIZATION {
                let (_string_tag, text, _) = tlv(value)?;
                orgs.push(String::from_utf8_lossy(text).into_owned());
            }
        }
    }
    Some(orgs)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A hand-assembled request: subject O=system:masters, CN=x (no key or signature, which
    /// the parser never reads).
    fn request_der(org: &str) -> Vec<u8> {
        let atv = |oid: &[u8], v: &str| {
            let mut s = vec![OID, u8::try_from(oid.len()).unwrap()];
            s.extend_from_slice(oid);
            s.extend([0x0c, u8::try_from(v.len()).unwrap()]);
            s.extend_from_slice(v.as_bytes());
            let mut seq = vec![SEQUENCE, u8::try_from(s.len()).unwrap()];
            seq.extend(s);
            let mut set = vec![SET, u8::try_from(seq.len()).unwrap()];
            set.extend(seq);
            set
        };
        let mut name = atv(ORGANIZATION, org);
        name.extend(atv(&[0x55, 0x04, 0x03], "x"));
        let mut info = vec![
            0x02,
            0x01,
            0x00,
            SEQUENCE,
            u8::try_from(name.len()).unwrap(),
        ];
        info.extend(name);
        let mut inner = vec![SEQUENCE, u8::try_from(info.len()).unwrap()];
        inner.extend(info);
        let mut outer = vec![SEQUENCE, u8::try_from(inner.len()).unwrap()];
        outer.extend(inner);
        outer
    }

    #[test]
    fn reads_organizations() {
        let b64 = base64::engine::general_purpose::STANDARD;
        let pem = format!(
            "-----BEGIN CERTIFICATE REQUEST-----\n{}\n-----END CERTIFICATE REQUEST-----\n",
            b64.encode(request_der("system:masters"))
        );
        let orgs = organizations_of_request(&b64.encode(pem)).unwrap();
        assert_eq!(orgs, vec!["system:masters".to_string()]);
        assert!(organizations_of_request("not base64!").is_none());
        assert!(subject_organizations(&[0x30, 0x85, 1]).is_none());
    }
}
