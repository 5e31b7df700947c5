//! Unified diffs of hardened files, as `diff -u` and `git apply` read them.

use similar::TextDiff;

/// `--- a/PATH` / `+++ b/PATH` with three lines of context; empty when nothing changed.
/// Line endings are kept as they are, so a CRLF file diffs as CRLF.
pub fn unified(path: &str, before: &str, after: &str) -> String {
    if before == after {
        return String::new();
    }
    let relative = path.trim_start_matches('/');
    TextDiff::from_lines(before, after)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{relative}"), &format!("b/{relative}"))
        .to_string()
}

/// A diff that creates `path` (`--- /dev/null`), as `git apply` reads it.
pub fn created(path: &str, text: &str) -> String {
    let relative = path.trim_start_matches('/');
    TextDiff::from_lines("", text)
        .unified_diff()
        .context_radius(3)
        .header("/dev/null", &format!("b/{relative}"))
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::{created, unified};

    #[test]
    fn a_new_file() {
        assert_eq!(
            created("/etc/a.conf", "x\n"),
            "--- /dev/null\n+++ b/etc/a.conf\n@@ -0,0 +1 @@\n+x\n"
        );
    }

    #[test]
    fn a_changed_line_with_context() {
        let diff = unified("/etc/x.conf", "a\nb\nc\n", "a\nB\nc\n");
        assert_eq!(
            diff,
            "--- a/etc/x.conf\n+++ b/etc/x.conf\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n"
        );
        assert_eq!(unified("/etc/x.conf", "same", "same"), "");
    }

    #[test]
    fn a_missing_final_newline_is_marked() {
        let diff = unified("/x", "a\nb", "a\nc");
        assert!(diff.contains("\\ No newline at end of file"), "{diff}");
    }
}
