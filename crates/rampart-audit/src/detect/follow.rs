//! `--follow`: tail a growing log file, judging each line as soon as it is complete.
//!
//! Poll-based (no inotify): at the end of the file, wait `poll` and look again. A file that
//! shrinks (truncated) is read again from its start; a path that now names another file
//! (rotated) is reopened from the start of the new file.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Seek, SeekFrom};
use std::path::Path;
use std::time::Duration;

use super::stream::{Detector, Emitted};

/// How to follow a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FollowOptions {
    /// Wait between looks at the end of the file.
    pub poll: Duration,
}

impl Default for FollowOptions {
    fn default() -> Self {
        Self {
            poll: Duration::from_millis(250),
        }
    }
}

#[cfg(unix)]
fn identity(meta: &std::fs::Metadata) -> (u64, u64) {
    use std::os::unix::fs::MetadataExt;
    (meta.dev(), meta.ino())
}

#[cfg(not(unix))]
fn identity(_meta: &std::fs::Metadata) -> (u64, u64) {
    (0, 0)
}

/// Judges every line of `path`, then every line appended to it, until `stop` returns true
/// (checked whenever the end of the file is reached).
pub fn follow(
    det: &mut Detector,
    path: &Path,
    opts: &FollowOptions,
    stop: &mut dyn FnMut() -> bool,
    sink: &mut dyn FnMut(Emitted),
) -> io::Result<()> {
    let name = path.display().to_string();
    let mut file = File::open(path)?;
    let mut id = identity(&file.metadata()?);
    let mut reader = BufReader::new(file.try_clone()?);
    let mut pos: u64 = 0;
    let mut line_no: u32 = 0;
    let mut buf = Vec::new();
    loop {
        let n = reader.read_until(b'\n', &mut buf)?;
        if n > 0 && buf.ends_with(b"\n") {
            pos += buf.len() as u64;
            line_no = line_no.saturating_add(1);
            det.judge_now(&buf, &name, line_no, sink);
            buf.clear();
            continue;
        }
        // End of the file for now; a partial line stays in `buf` until it is finished.
        if stop() {
            return Ok(());
        }
        std::thread::sleep(opts.poll);
        let Ok(meta) = std::fs::metadata(path) else {
            continue; // Between rotation and re-creation: try again later.
        };
        let read_so_far = pos + buf.len() as u64;
        if identity(&meta) != id {
            file = File::open(path)?;
            id = identity(&file.metadata()?);
        } else if meta.len() < read_so_far {
            file.seek(SeekFrom::Start(0))?;
        } else {
            continue;
        }
        reader = BufReader::new(file.try_clone()?);
        reader.seek(SeekFrom::Start(0))?;
        pos = 0;
        line_no = 0;
        buf.clear();
    }
}
