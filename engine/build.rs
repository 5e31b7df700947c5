//! Writes `core_docs.rs`: the parts of every rule's docs that the playground shows (why it
//! matters, how to fix, references), read from the doc comments in `src/rules/*.rs`. Builds
//! without the `full-docs` feature (the browser app) keep only these and leave out the
//! "What it does" and "Example" sections, which `fpmaudit explain` and the tests need but the
//! page never shows (14 KiB of the gzipped first load, measured).

use std::error::Error;
use std::fmt::Write as _;
use std::path::Path;

/// The sections the app shows.
const KEPT: [&str; 3] = ["Why is this bad?", "How to fix", "References"];

/// `(id, kept markdown)` of one rule file, if it declares a rule.
fn core_docs(source: &str) -> Option<(String, String)> {
    let body = source.get(source.find("declare_rule! {")?..)?;
    let id_at = body.find("id: \"")? + 5;
    let id = body.get(id_at..)?.split('"').next()?.to_string();
    let mut kept = String::new();
    let mut keep = false;
    for line in body.lines().skip(1) {
        let Some(text) = line.trim_start().strip_prefix("///") else {
            break;
        };
        if let Some(heading) = text.trim_start().strip_prefix("## ") {
            keep = KEPT.contains(&heading.trim());
        }
        if keep {
            // As rustc turns `/// text` into the doc string ` text`.
            kept.push_str(text);
            kept.push('\n');
        }
    }
    Some((id, kept))
}

fn main() -> Result<(), Box<dyn Error>> {
    println!("cargo:rerun-if-changed=src/rules");
    let mut rules = Vec::new();
    for entry in std::fs::read_dir("src/rules")? {
        let path = entry?.path();
        if path.extension().is_some_and(|e| e == "rs")
            && let Some(found) = core_docs(&std::fs::read_to_string(&path)?)
        {
            rules.push(found);
        }
    }
    rules.sort();
    let mut out = String::from(
        "/// Why, how to fix and references of every rule (`build.rs`), by rule id.\npub(crate) static CORE_DOCS: &[(&str, &str)] = &[\n",
    );
    for (id, docs) in &rules {
        writeln!(out, "    ({id:?}, {docs:?}),")?;
    }
    out.push_str("];\n");
    let dir = std::env::var("OUT_DIR")?;
    std::fs::write(Path::new(&dir).join("core_docs.rs"), out)?;
    Ok(())
}
