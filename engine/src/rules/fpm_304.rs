use super::{Context, Rule, declare_rule};
use crate::diagnostic::Finding;
use crate::model::fpm::Section;
use crate::model::php_stack::{PhpSetting, effective};
use crate::model::php_values::{host_dir, main_given, names, pool_place};
use crate::source::FileId;
use crate::text::TextRange;

declare_rule! {
    /// ## What it does
    /// Compares, across pools, the directory PHP writes uploads to (`upload_tmp_dir`, else the
    /// temp directory) and its temp directory (`sys_temp_dir`, else `/tmp`), as the effective
    /// per-pool values after `$pool` expansion, `chdir` for relative paths and `chroot`.
    /// Reports every directory two pools or more write to, once, at the first pool's setting
    /// (or its header when nothing sets it), with the other pools as related locations. Pools
    /// that set neither key all share `/tmp`.
    ///
    /// ## Why is this bad?
    /// Uploaded files wait in the upload directory under predictable names (`php` + random)
    /// until the script ends; `tempnam()`/`tmpfile()` files of every app land in the temp
    /// directory. A compromised app watching a shared directory reads other apps' uploads
    /// and, where modes or a missing sticky bit allow, swaps them before they are moved.
    ///
    /// ## How to fix
    /// Give each pool its own directories inside its own tree and its `open_basedir`:
    /// `php_admin_value[upload_tmp_dir] = /srv/www/$pool/tmp` and
    /// `php_admin_value[sys_temp_dir] = /srv/www/$pool/tmp`, owned by the pool user, mode 0700.
    ///
    /// ## Example
    /// ```fpm-pool bad
    /// [a]
    /// user = a
    /// [b]
    /// user = b
    /// php_admin_value[upload_tmp_dir] = /tmp
    /// ```
    /// ```fpm-pool good
    /// [a]
    /// user = a
    /// php_admin_value[upload_tmp_dir] = /srv/a/tmp
    /// php_admin_value[sys_temp_dir] = /srv/a/tmp
    /// [b]
    /// user = b
    /// php_admin_value[upload_tmp_dir] = /srv/b/tmp
    /// php_admin_value[sys_temp_dir] = /srv/b/tmp
    /// ```
    ///
    /// ## References
    /// - PHP manual, php.ini directives: `upload_tmp_dir`, `sys_temp_dir`
    /// - php.ini-production notes on `upload_tmp_dir`
    SharedTempDir {
        id: "FPM-304",
        title: "Pools share an upload/temp directory",
        severity: Medium,
        fixable: false,
    }
}

struct Use<'a> {
    pool: &'a Section,
    place: (FileId, TextRange),
    what: &'static str,
}

/// The value of `key` for the pool when it is set to something non-empty.
fn set(cx: Context<'_>, pool: &Section, key: &str) -> Option<PhpSetting> {
    effective(&cx.model.php_ini, Some(pool), key).filter(|s| !s.value.trim().is_empty())
}

impl Rule for SharedTempDir {
    fn meta(&self) -> &'static super::RuleMeta {
        Self::meta_static()
    }

    fn check(&self, cx: Context<'_>, out: &mut Vec<Finding>) {
        let mut dirs: Vec<(String, Vec<Use<'_>>)> = Vec::new();
        for pool in &cx.model.fpm.pools {
            let temp = set(cx, pool, "sys_temp_dir");
            let temp_dir = host_dir(pool, temp.as_ref().map_or("/tmp", |s| s.value.as_str()));
            let temp_place = temp
                .as_ref()
                .and_then(|s| pool_place(pool, s))
                .or_else(|| pool.anchor());
            let upload = set(cx, pool, "upload_tmp_dir");
            let upload_dir = upload.as_ref().map(|s| host_dir(pool, &s.value));
            let upload_place = upload.as_ref().and_then(|s| pool_place(pool, s));
            let mut uses = Vec::new();
            match (upload_dir, upload_place) {
                (Some(dir), Some(place)) if dir != temp_dir => {
                    uses.push((dir, Some(place), "uploads (upload_tmp_dir)"));
                    uses.push((temp_dir, temp_place, "temp files"));
                }
                (Some(dir), Some(place)) => uses.push((dir, Some(place), "uploads and temp files")),
                _ => uses.push((temp_dir, temp_place, "uploads and temp files")),
            }
            for (dir, place, what) in uses {
                let Some(place) = place else { continue };
                let entry = Use { pool, place, what };
                match dirs.iter_mut().find(|(d, _)| *d == dir) {
                    Some((_, list)) => list.push(entry),
                    None => dirs.push((dir, vec![entry])),
                }
            }
        }
        for (dir, uses) in &dirs {
            let mut pools: Vec<&Section> = uses.iter().map(|u| u.pool).collect();
            pools.dedup_by(|a, b| a.name == b.name);
            if pools.len() < 2 {
                continue;
            }
            let Some(first) = uses.first() else { continue };
            let detail: Vec<String> = uses
                .iter()
                .map(|u| format!("[{}] {}", u.pool.name, u.what))
                .collect();
            let mut message = format!(
                "pools {} write to the same directory `{dir}` ({}): one app can read or tamper with the others' uploads and temp files",
                names(&pools),
                detail.join(", ")
            );
            if !main_given(cx.sources, cx.model) {
                message.push_str(
                    "; php.ini was not given, and what it sets applies to every pool alike",
                );
            }
            let mut finding = Self::meta_static().finding(first.place.0, first.place.1, message);
            for other in uses.iter().skip(1) {
                if other.place != first.place {
                    finding = finding.with_related(
                        other.place.0,
                        other.place.1,
                        format!("pool [{}] uses `{dir}` too", other.pool.name),
                    );
                }
            }
            out.push(finding);
        }
    }
}
