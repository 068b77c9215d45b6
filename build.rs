//! Build the browser console clients (assets/console: noVNC and xterm.js from npm, bundled with
//! esbuild) into assets/console/dist, which the binary embeds. Runs npm only when the bundle is
//! missing or older than its inputs; the released binary needs no network.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::SystemTime;

const DIR: &str = "assets/console";
const INPUTS: &[&str] = &["package.json", "package-lock.json", "build.mjs", "src"];
const OUTPUTS: &[&str] = &["dist/vnc.js", "dist/serial.js", "dist/xterm.css"];

fn newest(path: &Path) -> Option<SystemTime> {
    let meta = std::fs::metadata(path).ok()?;
    if meta.is_dir() {
        std::fs::read_dir(path).ok()?.filter_map(|e| e.ok()).filter_map(|e| newest(&e.path())).max()
    } else {
        meta.modified().ok()
    }
}

fn run(args: &[&str], dir: &Path) {
    let status = Command::new("npm").args(args).current_dir(dir).status();
    match status {
        Ok(s) if s.success() => {}
        Ok(s) => fail(&format!("`npm {}` in {} failed ({s})", args.join(" "), dir.display())),
        Err(e) => fail(&format!(
            "cannot run npm ({e}): install Node.js and npm (`scripts/deps.sh build` does) to build the console clients"
        )),
    }
}

fn fail(msg: &str) -> ! {
    eprintln!("error: {msg}");
    std::process::exit(1);
}

fn main() {
    let dir = PathBuf::from(DIR);
    for f in INPUTS {
        println!("cargo:rerun-if-changed={DIR}/{f}");
    }
    for f in OUTPUTS {
        println!("cargo:rerun-if-changed={DIR}/{f}");
    }
    let inputs = INPUTS.iter().filter_map(|f| newest(&dir.join(f))).max();
    let built = OUTPUTS
        .iter()
        .map(|f| newest(&dir.join(f)))
        .collect::<Option<Vec<_>>>()
        .and_then(|v| v.into_iter().min());
    let fresh = matches!((inputs, built), (Some(i), Some(b)) if b >= i);
    if fresh {
        return;
    }
    let lock = newest(&dir.join("package-lock.json"));
    let modules = newest(&dir.join("node_modules/.package-lock.json"));
    if modules.is_none() || modules < lock {
        run(&["ci", "--no-audit", "--no-fund", "--loglevel=error"], &dir);
    }
    run(&["run", "build", "--silent"], &dir);
}
