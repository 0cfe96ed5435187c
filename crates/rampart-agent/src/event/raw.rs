//! Decoding of the kernel's `struct event` (see `src/bpf/event.h`) without `unsafe`: every
//! field is read at its fixed offset. Records may be shorter than the full struct (the kernel
//! omits the `args` tail for most kinds); missing bytes read as zero.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use super::{Event, Kind};

/// Size of the full record; the short form stops at [`ARGS`].
pub const FULL_SIZE: usize = 760;
const CGROUP: usize = 8;
const KIND: usize = 16;
const PID: usize = 20;
const TID: usize = 24;
const PPID: usize = 28;
const UID: usize = 32;
const GID: usize = 36;
const FLAGS: usize = 40;
const RET: usize = 44;
const VPID: usize = 48;
const ARG0: usize = 56;
const ARG1: usize = 64;
const ARG2: usize = 72;
const FAMILY: usize = 80;
const DPORT: usize = 82;
const SPORT: usize = 84;
const DADDR: usize = 88;
const COMM: usize = 104;
const PATH: usize = 120;
const PATH2: usize = 376;
pub const ARGS: usize = 504;

pub const AF_UNIX: u16 = 1;
pub const AF_INET: u16 = 2;
pub const AF_INET6: u16 = 10;

/// Why a record could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    #[error("event record of {0} bytes is shorter than its header")]
    Short(usize),
    #[error("unknown event kind {0}")]
    Kind(u32),
}

struct Rec<'a>(&'a [u8]);

impl Rec<'_> {
    fn bytes<const N: usize>(&self, at: usize) -> [u8; N] {
        let mut out = [0u8; N];
        if let Some(src) = self.0.get(at..) {
            let n = src.len().min(N);
            out[..n].copy_from_slice(&src[..n]);
        }
        out
    }
    fn u16(&self, at: usize) -> u16 {
        u16::from_ne_bytes(self.bytes(at))
    }
    fn u32(&self, at: usize) -> u32 {
        u32::from_ne_bytes(self.bytes(at))
    }
    fn u64(&self, at: usize) -> u64 {
        u64::from_ne_bytes(self.bytes(at))
    }
    /// A NUL-terminated string in a fixed-size field.
    fn str(&self, at: usize, len: usize) -> String {
        let field = self.0.get(at..(at + len).min(self.0.len())).unwrap_or(&[]);
        let end = field.iter().position(|b| *b == 0).unwrap_or(field.len());
        String::from_utf8_lossy(&field[..end]).into_owned()
    }
    /// NUL-separated strings of `used` bytes.
    fn list(&self, at: usize, used: usize) -> Vec<String> {
        let field = self.0.get(at..(at + used).min(self.0.len())).unwrap_or(&[]);
        field
            .split(|b| *b == 0)
            .filter(|s| !s.is_empty())
            .map(|s| String::from_utf8_lossy(s).into_owned())
            .collect()
    }
}

/// Decodes one ring-buffer record.
pub fn decode(data: &[u8]) -> Result<Event, DecodeError> {
    if data.len() < PATH {
        return Err(DecodeError::Short(data.len()));
    }
    let r = Rec(data);
    let raw_kind = r.u32(KIND);
    let kind = Kind::from_raw(raw_kind).ok_or(DecodeError::Kind(raw_kind))?;
    let family = r.u16(FAMILY);
    let daddr: [u8; 16] = r.bytes(DADDR);
    let addr = match family {
        AF_INET => Some(IpAddr::V4(Ipv4Addr::new(
            daddr[0], daddr[1], daddr[2], daddr[3],
        ))),
        AF_INET6 => Some(IpAddr::V6(Ipv6Addr::from(daddr))),
        _ => None,
    };
    let args_len = match kind {
        // arg0 holds the number of argv bytes copied.
        Kind::Exec => usize::try_from(r.u64(ARG0))
            .unwrap_or(0)
            .min(FULL_SIZE - ARGS),
        _ => 0,
    };
    let mut ev = Event {
        kind,
        ts_ns: r.u64(0),
        cgroup_id: r.u64(CGROUP),
        pid: r.u32(PID),
        tid: r.u32(TID),
        ppid: r.u32(PPID),
        uid: r.u32(UID),
        gid: r.u32(GID),
        flags: r.u32(FLAGS),
        ret: i32::from_ne_bytes(r.bytes(RET)),
        vpid: r.u32(VPID),
        arg0: r.u64(ARG0),
        arg1: r.u64(ARG1),
        arg2: r.u64(ARG2),
        family,
        dport: r.u16(DPORT),
        sport: r.u16(SPORT),
        addr,
        comm: r.str(COMM, 16),
        path: r.str(PATH, PATH2 - PATH),
        path2: r.str(PATH2, ARGS - PATH2),
        args: r.list(ARGS, args_len),
        ..Event::default()
    };
    if kind == Kind::Mount {
        ev.fstype = r.str(ARGS, 64);
    }
    Ok(ev)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(kind: u32) -> Vec<u8> {
        let mut v = vec![0u8; FULL_SIZE];
        v[KIND..KIND + 4].copy_from_slice(&kind.to_ne_bytes());
        v[PID..PID + 4].copy_from_slice(&42u32.to_ne_bytes());
        v[COMM..COMM + 2].copy_from_slice(b"sh");
        v
    }

    #[test]
    fn decodes_exec_with_argv() {
        let mut v = record(1);
        let argv = b"sh\0-c\0id\0";
        v[ARGS..ARGS + argv.len()].copy_from_slice(argv);
        v[ARG0..ARG0 + 8].copy_from_slice(&(argv.len() as u64).to_ne_bytes());
        v[PATH..PATH + 7].copy_from_slice(b"/bin/sh");
        let ev = decode(&v).unwrap_or_default();
        assert_eq!(ev.kind, Kind::Exec);
        assert_eq!(ev.pid, 42);
        assert_eq!(ev.comm, "sh");
        assert_eq!(ev.path, "/bin/sh");
        assert_eq!(ev.args, vec!["sh", "-c", "id"]);
    }

    #[test]
    fn decodes_short_connect_records() {
        let mut v = record(5);
        v[FAMILY..FAMILY + 2].copy_from_slice(&AF_INET.to_ne_bytes());
        v[DPORT..DPORT + 2].copy_from_slice(&3333u16.to_ne_bytes());
        v[DADDR..DADDR + 4].copy_from_slice(&[127, 0, 0, 1]);
        v.truncate(ARGS);
        let ev = decode(&v).unwrap_or_default();
        assert_eq!(ev.kind, Kind::Connect);
        assert_eq!(ev.dport, 3333);
        assert_eq!(ev.addr, Some(IpAddr::V4(Ipv4Addr::LOCALHOST)));
    }

    #[test]
    fn rejects_garbage() {
        assert_eq!(decode(&[0u8; 3]), Err(DecodeError::Short(3)));
        assert_eq!(decode(&record(99)), Err(DecodeError::Kind(99)));
    }
}
