use std::fmt::Write as _;

use super::{Context, Rule, declare_rule};
use crate::diagnostic::{Finding, Safety, Severity};
use crate::model::php_stack::{effective, is_on};
use crate::model::php_values::{for_pools, hits, loaded_extensions, pool_sets, replace_value};

declare_rule! {
    /// ## What it does
    /// Reports an empty `opcache.restrict_api` (PHP's default) for pools where OPcache is
    /// loaded and enabled. OPcache counts as loaded when php.ini or its scan directory has a
    /// `zend_extension=opcache` line, or a file explicitly sets `opcache.enable` on; when the
    /// scan directory (Debian's `conf.d/10-opcache.ini`) was not given, nothing is reported.
    /// The severity is high when the master runs several pools, which all share one cache.
    ///
    /// ## Why is this bad?
    /// Every script can then call `opcache_get_status()` (the paths of every cached script of
    /// every pool under the master), `opcache_reset()` and `opcache_invalidate()` (slow every
    /// site down at will) and `opcache_compile_file()`. On a shared master one tenant's code
    /// reads and disturbs the others'.
    ///
    /// ## How to fix
    /// Set `opcache.restrict_api` to the directory of the admin tool that needs the API
    /// (`/srv/admin/`), or to a path that does not exist (`/nonexistent`) to close it. It is a
    /// system setting: set it in php.ini or with `php_admin_value`.
    ///
    /// ## Example
    /// ```php-ini bad
    /// zend_extension = opcache
    /// opcache.restrict_api =
    /// ```
    /// ```php-ini good
    /// zend_extension = opcache
    /// opcache.restrict_api = /nonexistent
    /// ```
    ///
    /// ## References
    /// - PHP manual, OPcache configuration: `opcache.restrict_api`
    /// - froxlor issue #655; WordPress hosting handbook #42
    OpcacheApiOpen {
        id: "INI-116",
        title: "OPcache API open to every script",
        severity: Medium,
        fixable: true,
    }
}

impl Rule for OpcacheApiOpen {
    fn meta(&self) -> &'static super::RuleMeta {
        Self::meta_static()
    }

    fn check(&self, cx: Context<'_>, out: &mut Vec<Finding>) {
        let model = cx.model;
        let ini = &model.php_ini;
        let loaded_line = loaded_extensions(cx.sources, model)
            .into_iter()
            .any(|e| e.zend && e.name == "opcache");
        let enabled_explicitly = ini.get("opcache.enable").is_some_and(|s| is_on(&s.value))
            || model.fpm.pools.iter().any(|p| {
                pool_sets(p, "opcache.enable")
                    && effective(ini, Some(p), "opcache.enable").is_some_and(|s| is_on(&s.value))
            });
        if !loaded_line && !enabled_explicitly {
            return;
        }
        let enabled = |pool| effective(ini, pool, "opcache.enable").is_none_or(|s| is_on(&s.value));
        let shared = model.fpm.pools.len() > 1;
        for mut hit in hits(cx.sources, model, "opcache.restrict_api", |v| {
            v.trim().is_empty()
        }) {
            if hit.place.pools.is_empty() {
                if !model.fpm.pools.is_empty() || !enabled(None) {
                    continue;
                }
            } else {
                hit.place.pools.retain(|p| enabled(Some(p)));
                if hit.place.pools.is_empty() {
                    continue;
                }
            }
            let mut message = format!(
                "`opcache.restrict_api` is empty{} ({}): any script can list every cached script and reset or invalidate the cache",
                for_pools(&hit.place.pools),
                hit.provenance
            );
            if shared {
                let _ = write!(
                    message,
                    "; the {} pools of this master share one cache, so one app can read and disturb the others'",
                    model.fpm.pools.len()
                );
            }
            let finding = Self::meta_static().finding(hit.place.file, hit.place.range, message);
            let finding = if shared {
                finding.with_severity(Severity::High)
            } else {
                finding
            };
            // Admin dashboards that show or reset the cache stop working.
            out.push(
                match replace_value(&hit.setting, "/nonexistent", Safety::NeedsReview) {
                    Some(fix) => finding.with_fix(fix),
                    None => finding,
                },
            );
        }
    }
}
