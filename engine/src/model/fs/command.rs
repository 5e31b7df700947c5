//! The one-line command that collects the evidence on a host, and the plan behind it. The app
//! shows the command; the CLI's live mode follows the same plan itself, so both give the same
//! text: a `tail -n +1`-style bundle of `/fpmaudit/fs-snapshot.txt`, `/etc/passwd` and
//! `/etc/group`, which [`crate::bundle`] splits back into the three files.

use super::apps::{is_within, pool_paths};
use crate::model::Model;
use crate::model::php_values::{broad_entry, is_shared_dir};

/// Where the snapshot sits among the audited files (pasted, dropped or generated live).
pub const SNAPSHOT_PATH: &str = "/fpmaudit/fs-snapshot.txt";
/// The first line of a snapshot; also how a pasted snapshot is recognised.
pub const SNAPSHOT_HEADER: &str = "# fpmaudit fs-snapshot v1";
/// How deep app trees are listed (vendor trees are deep; the bound keeps the output finite).
pub const MAX_DEPTH: usize = 12;
/// `find -printf` format of one line; `%p` is relative to `/`, hence the leading `/`.
const FORMAT: &str = "'%M %u %g %U %G /%p\\n'";

/// Which paths to list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SnapshotPlan {
    /// Listed alone (no contents): the directories above the trees, which decide traversal.
    pub ancestors: Vec<String>,
    /// Listed with their contents, [`MAX_DEPTH`] deep, not crossing file systems.
    pub trees: Vec<String>,
    /// Listed with their direct entries only: shared temp directories and socket directories.
    pub shallow: Vec<String>,
}

impl SnapshotPlan {
    pub fn is_empty(&self) -> bool {
        self.trees.is_empty() && self.shallow.is_empty()
    }
}

/// The trees the configuration mentions: code, state directories and socket directories.
pub fn snapshot_plan(model: &Model) -> SnapshotPlan {
    let mut trees = Vec::new();
    let mut shallow = Vec::new();
    for pool in pool_paths(model) {
        for used in pool.trees() {
            // `/`, `/var` or `/var/www` as a tree would list half the host: one level only.
            if is_shared_dir(&used.path) || broad_entry(&used.path).is_some() {
                shallow.push(used.path.clone());
            } else {
                trees.push(used.path.clone());
            }
        }
        if let Some(socket) = &pool.socket
            && let Some(dir) = super::ancestors(&socket.path).next()
            && dir != "/"
        {
            shallow.push(dir.to_string());
        }
    }
    crate::sort::sort(&mut trees);
    trees.dedup();
    let trees: Vec<String> = trees
        .iter()
        .filter(|t| !trees.iter().any(|o| o != *t && is_within(t, o)))
        .cloned()
        .collect();
    crate::sort::sort(&mut shallow);
    shallow.dedup();
    shallow.retain(|s| !trees.iter().any(|t| is_within(s, t)));
    let mut ancestors: Vec<String> = trees
        .iter()
        .chain(&shallow)
        .flat_map(|p| super::ancestors(p).map(str::to_string).collect::<Vec<_>>())
        .filter(|a| a != "/")
        .collect();
    crate::sort::sort(&mut ancestors);
    ancestors.dedup();
    ancestors.retain(|a| !trees.iter().chain(&shallow).any(|t| t == a));
    SnapshotPlan {
        ancestors,
        trees,
        shallow,
    }
}

/// The command a person runs on the host (as root, to see every tree) and pastes back.
pub fn snapshot_command(model: &Model) -> String {
    snapshot_command_at(model, "/")
}

/// [`snapshot_command`] for a host mounted at `root` (tests run it on trees under a
/// temporary directory); paths in the output are still the host's.
pub fn snapshot_command_at(model: &Model, root: &str) -> String {
    let plan = snapshot_plan(model);
    let mut finds = Vec::new();
    let relative = |paths: &[String]| -> String {
        paths
            .iter()
            .map(|p| quote(p.trim_start_matches('/')))
            .collect::<Vec<_>>()
            .join(" ")
    };
    if !plan.ancestors.is_empty() {
        finds.push(format!(
            "find {} -maxdepth 0 -printf {FORMAT}",
            relative(&plan.ancestors)
        ));
    }
    if !plan.trees.is_empty() {
        finds.push(format!(
            "find {} -xdev -maxdepth {MAX_DEPTH} -printf {FORMAT}",
            relative(&plan.trees)
        ));
    }
    if !plan.shallow.is_empty() {
        finds.push(format!(
            "find {} -maxdepth 1 -printf {FORMAT}",
            relative(&plan.shallow)
        ));
    }
    let listing = if finds.is_empty() {
        String::from("true")
    } else {
        format!("{{ {}; }} | LC_ALL=C sort -u -t ' ' -k 6", finds.join("; "))
    };
    format!(
        "cd {} && {{ echo '==> {SNAPSHOT_PATH} <=='; echo '{SNAPSHOT_HEADER}'; {listing}; echo; echo '==> /etc/passwd <=='; getent passwd; echo; echo '==> /etc/group <=='; getent group; }} 2>/dev/null",
        quote(root)
    )
}

/// Single-quotes a word for the shell.
fn quote(word: &str) -> String {
    if !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "/._-+,:@%".contains(c))
    {
        return word.to_string();
    }
    format!("'{}'", word.replace('\'', r"'\''"))
}
