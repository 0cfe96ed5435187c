//! What every subcommand shares: exit codes, output formats, loading inputs, printing errors.

use std::io::Write;
use std::path::PathBuf;

use rampart_manifest::{LoadOptions, Loaded};
use rampart_model::InputError;

/// Ran and found nothing at or above the failure threshold (or answered a query).
pub const EXIT_OK: u8 = 0;
/// Ran and found something (scan and check commands only).
pub const EXIT_FOUND: u8 = 1;
/// Usage error, or unreadable/invalid input under `--strict`.
pub const EXIT_USAGE: u8 = 2;

/// Output formats. Not every command supports every format; each says which it takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Text,
    Json,
    Sarif,
    Junit,
    Dot,
}

/// Loads every input path (`-` is stdin; no paths means stdin) and reports unreadable or
/// invalid inputs on stderr with their position. The other inputs are still returned.
pub fn load_inputs(paths: &[PathBuf]) -> Loaded {
    let stdin = [PathBuf::from("-")];
    let paths = if paths.is_empty() { &stdin[..] } else { paths };
    let loaded = rampart_manifest::load_paths(paths, &LoadOptions::default());
    for e in &loaded.errors {
        eprintln!("{}", format_input_error(e));
    }
    loaded
}

/// `error[E0001]: file:line:col: message`, as cargo-deny and rustc print diagnostics.
pub fn format_input_error(e: &InputError) -> String {
    if e.line == 0 {
        format!("error[{}]: {}: {}", e.code, e.file, e.message)
    } else {
        format!(
            "error[{}]: {}:{}:{}: {}",
            e.code, e.file, e.line, e.column, e.message
        )
    }
}

/// Prints an error chain at the edge, one cause per line.
pub fn print_error(e: &anyhow::Error) {
    let mut err = std::io::stderr().lock();
    let _ = writeln!(err, "error: {e}");
    for cause in e.chain().skip(1) {
        let _ = writeln!(err, "  caused by: {cause}");
    }
}

/// Writes `text` to `-o FILE`, or stdout when no file is given.
pub fn write_output(output: Option<&PathBuf>, text: &str) -> anyhow::Result<()> {
    use anyhow::Context;
    match output {
        Some(p) => std::fs::write(p, text).with_context(|| format!("cannot write {}", p.display())),
        None => {
            let mut out = std::io::stdout().lock();
            // A closed pipe (`rampart … | head`) is not an error worth reporting.
            match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
                Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e.into()),
                _ => Ok(()),
            }
        }
    }
}

/// Streams output through `write` to `-o FILE` or stdout, buffered, for reports too large to
/// build in memory first.
pub fn stream_output(
    output: Option<&PathBuf>,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> anyhow::Result<()> {
    use anyhow::Context;
    let result = match output {
        Some(p) => {
            let file = std::fs::File::create(p)
                .with_context(|| format!("cannot write {}", p.display()))?;
            let mut w = std::io::BufWriter::new(file);
            write(&mut w).and_then(|()| w.flush())
        }
        None => {
            let mut w = std::io::BufWriter::new(std::io::stdout().lock());
            write(&mut w).and_then(|()| w.flush())
        }
    };
    match result {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e.into()),
        _ => Ok(()),
    }
}

/// Prints `value` as pretty JSON.
pub fn print_json<T: serde::Serialize>(value: &T) -> anyhow::Result<()> {
    let mut text = serde_json::to_string_pretty(value)?;
    text.push('\n');
    write_output(None, &text)
}
