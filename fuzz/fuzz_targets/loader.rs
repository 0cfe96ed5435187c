//! Fuzzes the manifest loader with arbitrary bytes as YAML and as JSON: it must never panic,
//! overflow its stack or allocate without bound, and every position it reports must lie inside
//! the input.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    // YAML breaks lines at LF, CRLF and a lone CR: count both bytes for an upper bound.
    let breaks = text.bytes().filter(|b| matches!(b, b'\n' | b'\r')).count();
    let lines = u32::try_from(breaks + 1).unwrap_or(u32::MAX);
    for name in ["fuzz.yaml", "fuzz.json"] {
        let (_, objects, errors) = rampart_manifest::load_text(name, text.to_string());
        for o in &objects {
            assert!(o.node.pos.line <= lines + 1, "object position outside the input");
            let _ = o.json.to_string();
        }
        for e in &errors {
            assert!(e.line <= lines + 1, "error position outside the input");
        }
    }
});
