//! With the `browser-fixtures` feature (the browser tests only), makes the zint label images
//! with `e2e/fixtures/make-labels.sh` and embeds the clean ones in the test binary: a browser
//! has no file system to read them from. Every other build does nothing here.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::Command;

fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-changed=../../e2e/fixtures/make-labels.sh");
    if std::env::var_os("CARGO_FEATURE_BROWSER_FIXTURES").is_none() {
        return;
    }
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap());
    let labels = out.join("labels");
    let script = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap())
        .join("../../e2e/fixtures/make-labels.sh");
    let status = Command::new("bash")
        .arg(&script)
        .arg(&labels)
        .arg("--no-video")
        .status()
        .expect("bash runs make-labels.sh (needs zint and ffmpeg)");
    assert!(status.success(), "make-labels.sh failed");
    let manifest = std::fs::read_to_string(labels.join("manifest.json")).unwrap();
    // The manifest is our own simple JSON: one image object per line, fields in a fixed order.
    let mut code = String::from("pub const CLEAN_LABELS: &[(&str, &[u8], &[&str])] = &[\n");
    for line in manifest
        .lines()
        .filter(|line| line.contains("\"degradation\": \"clean\""))
    {
        let file = field(line, "file");
        let expected = line
            .split("\"expected\": [")
            .nth(1)
            .and_then(|rest| rest.split(']').next())
            .unwrap_or_default()
            // JSON's \u001d is Rust's \u{1d}.
            .replace("\\u001d", "\\u{1d}");
        writeln!(
            code,
            "    ({file:?}, include_bytes!({path:?}), &[{expected}]),",
            path = labels.join(&file)
        )
        .unwrap();
    }
    code.push_str("];\n");
    std::fs::write(out.join("clean_labels.rs"), code).unwrap();
}

fn field(line: &str, name: &str) -> String {
    line.split(&format!("\"{name}\": \""))
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap_or_default()
        .to_string()
}
