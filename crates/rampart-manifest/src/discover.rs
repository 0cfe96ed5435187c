//! Finding input files: explicit files, directories walked recursively, and stdin.

use std::io::Read;
use std::path::{Path, PathBuf};

use rampart_model::InputError;

use crate::{LoadOptions, SourceFile};

/// Where an input's bytes come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InputSource {
    Stdin,
    File(PathBuf),
}

/// One input to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Input {
    pub source: InputSource,
}

/// Directories that hold version-control data, never manifests.
const VCS_DIRS: [&str; 4] = [".git", ".hg", ".svn", ".jj"];

fn is_manifest_name(p: &Path) -> bool {
    p.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| matches!(e.to_ascii_lowercase().as_str(), "yaml" | "yml" | "json"))
}

/// Expands the user's paths into inputs. Explicit files are taken whatever their extension;
/// directories yield `.yaml`/`.yml`/`.json` files, skipping VCS directories and paths matched by
/// `.gitignore` or the extra ignore files, but scanning other hidden directories (`.github/`,
/// `.argocd/` hold real manifests). Output is sorted within each directory for determinism.
pub fn discover(paths: &[PathBuf], opts: &LoadOptions) -> (Vec<Input>, Vec<InputError>) {
    let mut inputs = Vec::new();
    let mut errors = Vec::new();
    for p in paths {
        if p.as_os_str() == "-" {
            inputs.push(Input {
                source: InputSource::Stdin,
            });
            continue;
        }
        match std::fs::metadata(p) {
            Ok(m) if m.is_dir() => walk_dir(p, opts, &mut inputs, &mut errors),
            Ok(_) => inputs.push(Input {
                source: InputSource::File(p.clone()),
            }),
            Err(e) => errors.push(InputError {
                code: "E0002",
                file: p.display().to_string(),
                line: 0,
                column: 0,
                message: format!("cannot read input: {e}"),
            }),
        }
    }
    (inputs, errors)
}

/// Walks `dir` on several threads (a large tree spends most of its time in `readdir` and
/// ignore-file matching), then sorts: component-wise path order is the order a sorted
/// depth-first walk would give.
fn walk_dir(dir: &Path, opts: &LoadOptions, inputs: &mut Vec<Input>, errors: &mut Vec<InputError>) {
    let mut builder = ignore::WalkBuilder::new(dir);
    builder
        .hidden(false)
        .git_ignore(true)
        .git_exclude(true)
        .git_global(false)
        .require_git(false)
        .parents(true)
        .follow_links(false)
        .threads(std::thread::available_parallelism().map_or(1, |n| n.get().min(8)))
        .filter_entry(|e| {
            !(e.file_type().is_some_and(|t| t.is_dir())
                && e.file_name()
                    .to_str()
                    .is_some_and(|n| VCS_DIRS.contains(&n)))
        });
    for name in &opts.ignore_files {
        builder.add_custom_ignore_filename(name);
    }
    let found = std::sync::Mutex::new((Vec::new(), Vec::new()));
    builder.build_parallel().run(|| {
        let found = &found;
        Box::new(move |entry| {
            let item = match entry {
                Ok(e)
                    if e.file_type().is_some_and(|t| t.is_file()) && is_manifest_name(e.path()) =>
                {
                    Ok(e.into_path())
                }
                Ok(_) => return ignore::WalkState::Continue,
                Err(e) => Err(format!("cannot walk directory: {e}")),
            };
            // A poisoned lock only means another walker thread panicked; its data is intact.
            let mut guard = found
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            match item {
                Ok(path) => guard.0.push(path),
                Err(message) => guard.1.push(message),
            }
            ignore::WalkState::Continue
        })
    });
    let (mut paths, mut messages) = found
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    paths.sort_unstable();
    messages.sort_unstable();
    inputs.extend(paths.into_iter().map(|p| Input {
        source: InputSource::File(p),
    }));
    errors.extend(messages.into_iter().map(|message| InputError {
        code: "E0002",
        file: dir.display().to_string(),
        line: 0,
        column: 0,
        message,
    }));
}

/// Reads an input as UTF-8 text (a leading BOM is dropped), refusing files over the size limit.
pub fn read_input(input: &Input, max_bytes: u64) -> Result<SourceFile, InputError> {
    let (name, bytes) = match &input.source {
        InputSource::Stdin => {
            let mut buf = Vec::new();
            let res = std::io::stdin().take(max_bytes + 1).read_to_end(&mut buf);
            ("-".to_string(), res.map(|_| buf))
        }
        InputSource::File(p) => {
            let name = p.display().to_string();
            match std::fs::metadata(p) {
                Ok(m) if m.len() > max_bytes => {
                    return Err(err(
                        &name,
                        format!("file is {} bytes, over the {max_bytes}-byte limit", m.len()),
                    ));
                }
                _ => {}
            }
            (name, std::fs::read(p))
        }
    };
    let bytes = bytes.map_err(|e| err(&name, format!("cannot read input: {e}")))?;
    if bytes.len() as u64 > max_bytes {
        return Err(err(
            &name,
            format!("input is over the {max_bytes}-byte limit"),
        ));
    }
    let text = decode(bytes).map_err(|m| err(&name, m))?;
    Ok(SourceFile { path: name, text })
}

/// UTF-8 (a leading BOM dropped), or UTF-16 when a byte-order mark says so, as YAML allows.
fn decode(bytes: Vec<u8>) -> Result<String, String> {
    let utf16 = |le: bool| {
        let units: Vec<u16> = bytes[2..]
            .chunks(2)
            .map(|c| {
                let pair = [c[0], c.get(1).copied().unwrap_or(0)];
                if le {
                    u16::from_le_bytes(pair)
                } else {
                    u16::from_be_bytes(pair)
                }
            })
            .collect();
        String::from_utf16(&units)
            .map_err(|_| "input has a UTF-16 byte-order mark but is not valid UTF-16".to_string())
    };
    match bytes.as_slice() {
        [0xFF, 0xFE, ..] => utf16(true),
        [0xFE, 0xFF, ..] => utf16(false),
        _ => {
            let mut text = String::from_utf8(bytes).map_err(|e| {
                format!(
                    "input is not UTF-8 (invalid byte at offset {})",
                    e.utf8_error().valid_up_to()
                )
            })?;
            if text.starts_with('\u{feff}') {
                text.drain(..'\u{feff}'.len_utf8());
            }
            Ok(text)
        }
    }
}

fn err(file: &str, message: String) -> InputError {
    InputError {
        code: "E0002",
        file: file.to_string(),
        line: 0,
        column: 0,
        message,
    }
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    use super::{decode, discover, InputSource};
    use crate::LoadOptions;

    fn files_under(root: &Path, paths: &[PathBuf]) -> (Vec<String>, Vec<String>) {
        let (inputs, errors) = discover(paths, &LoadOptions::default());
        let names = inputs
            .into_iter()
            .map(|i| match i.source {
                InputSource::File(p) => p
                    .strip_prefix(root)
                    .unwrap_or(&p)
                    .to_string_lossy()
                    .replace('\\', "/"),
                InputSource::Stdin => "-".to_string(),
            })
            .collect();
        (
            names,
            errors.into_iter().map(|e| e.code.to_string()).collect(),
        )
    }

    #[test]
    fn walks_in_path_order_with_ignore_files_and_hidden_directories() -> std::io::Result<()> {
        let dir = tempfile::tempdir()?;
        let root = dir.path();
        for f in [
            "a.yaml",
            "a-b.yaml",
            "a/b.yaml",
            "a/e.yaml",
            "a/c/d.yml",
            "Z.JSON",
            "notes.txt",
            ".github/workflows/ci.yaml",
            ".git/config.yaml",
            "build/out.yaml",
            "skip/me.yaml",
            "keep/me.yaml",
        ] {
            let p = root.join(f);
            std::fs::create_dir_all(p.parent().unwrap_or(root))?;
            std::fs::write(p, "kind: ConfigMap\n")?;
        }
        // Unanchored and anchored patterns at the top, and an ignore file further down.
        std::fs::write(root.join(".gitignore"), "build/\n/a/c/\n")?;
        std::fs::write(root.join(".rampartignore"), "skip/\n")?;
        std::fs::write(root.join("a/.rampartignore"), "b.yaml\n")?;
        let (names, errors) = files_under(root, &[root.to_path_buf()]);
        // Component-wise order (what a sorted depth-first walk gives): `a/…` before `a-b.yaml`.
        assert_eq!(
            names,
            [
                ".github/workflows/ci.yaml",
                "Z.JSON",
                "a/e.yaml",
                "a-b.yaml",
                "a.yaml",
                "keep/me.yaml"
            ]
        );
        assert!(errors.is_empty(), "{errors:?}");
        // Explicit files are taken whatever their extension; a missing path is an error.
        let (names, errors) =
            files_under(root, &[root.join("notes.txt"), root.join("missing.yaml")]);
        assert_eq!(names, ["notes.txt"]);
        assert_eq!(errors, ["E0002"]);
        Ok(())
    }

    #[test]
    fn decodes_utf16_with_bom_and_strips_utf8_bom() {
        let mut le = vec![0xFF, 0xFE];
        le.extend("kind: Pod".encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(decode(le).as_deref(), Ok("kind: Pod"));
        let mut be = vec![0xFE, 0xFF];
        be.extend("a: b".encode_utf16().flat_map(u16::to_be_bytes));
        assert_eq!(decode(be).as_deref(), Ok("a: b"));
        assert_eq!(
            decode("\u{feff}x: 1".as_bytes().to_vec()).as_deref(),
            Ok("x: 1")
        );
        assert!(decode(vec![0xC3, 0x28]).is_err());
    }
}
