//! `fpmaudit fix`: the hardened rewrite, as a tree (`--out DIR`) or as diffs (`--diff`).

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result, bail};
use fpmaudit_engine::fix::{Hardened, created_diff, harden, unified_diff};
use fpmaudit_engine::{Safety, SourceSet};

use crate::args::FixArgs;

pub(crate) fn run(args: &FixArgs, out: &mut impl Write) -> Result<u8> {
    let loaded = crate::live::load(args.root.as_deref(), &args.paths, args.live)?;
    let accept = if args.safe_only {
        Safety::Safe
    } else {
        Safety::NeedsReview
    };
    let hardened = harden(&loaded.sources, accept);
    if let Some(dir) = &args.out {
        refuse_live_tree(dir, args.root.as_deref())?;
        write_tree(dir, &hardened)?;
    } else {
        for (id, file) in hardened.sources.iter() {
            let diff = match loaded.sources.get(id) {
                Some(before) => unified_diff(&file.path, &before.text, &file.text),
                None => created_diff(&file.path, &file.text),
            };
            write!(out, "{diff}")?;
        }
    }
    summarize(&loaded.sources, &hardened)?;
    Ok(0)
}

/// Writing over the configs being audited would change the host; the tool never does that.
fn refuse_live_tree(out: &Path, root: Option<&Path>) -> Result<()> {
    let out = std::fs::canonicalize(out).unwrap_or_else(|_| out.to_path_buf());
    let root = root
        .and_then(|r| std::fs::canonicalize(r).ok())
        .unwrap_or_else(|| PathBuf::from("/"));
    if out == root || out == Path::new("/") {
        bail!(
            "--out {} is the tree being audited; write the hardened tree elsewhere and review it",
            out.display()
        );
    }
    Ok(())
}

/// Every file, changed or not, so the tree is complete enough to test with `php-fpm -t`.
fn write_tree(dir: &Path, hardened: &Hardened) -> Result<()> {
    for (_, file) in hardened.sources.iter() {
        let target = dir.join(file.path.trim_start_matches('/'));
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("creating {}", parent.display()))?;
        }
        std::fs::write(&target, &file.text)
            .with_context(|| format!("writing {}", target.display()))?;
    }
    Ok(())
}

/// What was applied goes to stderr, so `--diff` output stays a clean patch.
fn summarize(original: &SourceSet, hardened: &Hardened) -> Result<()> {
    let mut err = std::io::stderr().lock();
    let review: Vec<_> = hardened
        .applied
        .iter()
        .filter(|a| a.safety == Safety::NeedsReview)
        .collect();
    writeln!(
        err,
        "fpmaudit: applied {} fixes ({} need review) to {} files in {} rounds",
        hardened.applied.len(),
        review.len(),
        hardened.changed(original).count(),
        hardened.rounds
    )?;
    for path in &hardened.generated {
        writeln!(err, "  created {path}")?;
    }
    for applied in review {
        writeln!(
            err,
            "  review {}: {} ({})",
            applied.rule,
            applied.title,
            applied.paths.join(", ")
        )?;
    }
    if !hardened.converged {
        writeln!(
            err,
            "fpmaudit: fixes still changed the files after {} rounds; the result is not stable",
            fpmaudit_engine::fix::MAX_ROUNDS
        )?;
    }
    Ok(())
}
