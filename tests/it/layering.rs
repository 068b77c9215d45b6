//! The house's dependency rule, checked on the source: `web`, `cli`, `jobs` → `service` →
//! `store`, `hv`, `host` → `domain`, with the error vocabulary (`error`) and `clock` at the
//! ground. No module of a lower layer names a higher one (not even in its tests), so the arrows
//! never point up.

use std::path::{Path, PathBuf};

/// The layers above everything checked here.
const UPPER: [&str; 7] = ["service", "config", "web", "jobs", "cli", "app", "control"];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// `(file:line, module)` for each mention of `crate::<module>` in `files` with a forbidden module.
fn violations(files: &[PathBuf], forbidden: &[&str]) -> Vec<String> {
    let mut out = Vec::new();
    for f in files {
        let text = std::fs::read_to_string(f).unwrap();
        for (n, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            for m in forbidden {
                if code.contains(&format!("crate::{m}::")) || code.contains(&format!("crate::{m};")) {
                    out.push(format!("{}:{} names crate::{m}", f.display(), n + 1));
                }
            }
        }
    }
    out
}

#[test]
fn lower_layers_never_name_higher_ones() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut middle = Vec::new();
    for d in ["store", "hv", "host"] {
        rust_files(&src.join(d), &mut middle);
    }
    let mut ground = Vec::new();
    rust_files(&src.join("domain"), &mut ground);
    ground.extend([src.join("error.rs"), src.join("clock.rs")]);
    assert!(
        middle.len() > 20 && ground.len() > 20,
        "the source tree moved: {} / {}",
        middle.len(),
        ground.len()
    );

    let mut wrong = violations(&middle, &UPPER);
    let mut below_domain: Vec<&str> = UPPER.to_vec();
    below_domain.extend(["store", "hv", "host"]);
    wrong.extend(violations(&ground, &below_domain));
    assert!(wrong.is_empty(), "arrows pointing up:\n{}", wrong.join("\n"));
}

#[test]
fn the_check_sees_a_violation() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("x.rs");
    std::fs::write(&f, "use crate::service::Coded;\n// crate::config::Config in a comment is fine\n")
        .unwrap();
    assert_eq!(violations(&[f], &UPPER).len(), 1);
}
