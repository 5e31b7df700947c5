use super::{Context, Rule, declare_rule};
use crate::diagnostic::Finding;
use crate::model::fpm::Section;
use crate::model::php_stack::effective;
use crate::model::php_values::{
    admits, basedir_entries, broad_entry, for_pools, groups, host_dir, host_entry, is_shared_dir,
    origin_span, places,
};
use crate::source::FileId;
use crate::text::TextRange;

declare_rule! {
    /// ## What it does
    /// Reports a pool whose effective `open_basedir` admits another pool's tree. A pool's tree
    /// is its `chdir` when set (the usual app root); otherwise its own `open_basedir` entries,
    /// leaving out temp and system directories (`/tmp`, `/usr/share/php`) and entries too broad
    /// to be one app's (`/`, `/srv`, `/var/www`). Entries are compared as PHP does, as string
    /// prefixes: `/srv/www/shop` admits `/srv/www/shop-admin`. A directory both pools declare
    /// as their own (two pools of one app, or a shared folder listed by both) is not reported.
    /// Paths are compared after `$pool` expansion and `chroot`. Web server roots from nginx are
    /// not used yet. Pools without `open_basedir` are INI-107's.
    ///
    /// ## Why is this bad?
    /// `open_basedir` is what keeps a file-read bug in one app from reading the others' code,
    /// `.env` files and uploads. An entry that is a bare prefix, or a common parent, silently
    /// lets the app into its neighbour, and the configuration still looks confined.
    ///
    /// ## How to fix
    /// List only the app's own directories, each ending in `/`:
    /// `php_admin_value[open_basedir] = /srv/www/shop/:/var/lib/php/sessions/shop/:/tmp/`.
    /// Separate users per pool (FPM-301) matter more: `open_basedir` is defence in depth.
    ///
    /// ## Example
    /// ```fpm-pool bad
    /// [shop]
    /// php_admin_value[open_basedir] = /srv/www/shop:/tmp
    /// [shopadmin]
    /// chdir = /srv/www/shop-admin
    /// ```
    /// ```fpm-pool good
    /// [shop]
    /// php_admin_value[open_basedir] = /srv/www/shop/:/tmp/
    /// [shopadmin]
    /// chdir = /srv/www/shop-admin
    /// ```
    ///
    /// ## References
    /// - PHP manual, php.ini directives: `open_basedir` (prefix match; end entries with `/`)
    /// - php-src `main/fopen_wrappers.c` (`php_check_specific_open_basedir`)
    BasedirCoversOtherApp {
        id: "FPM-305",
        title: "open_basedir of one app covers another app (prefix semantics)",
        severity: High,
        fixable: false,
    }
}

/// A pool's own trees: host path and where it is written.
fn trees(cx: Context<'_>, pool: &Section) -> Vec<(String, Option<(FileId, TextRange)>)> {
    if let Some(chdir) = pool.get("chdir")
        && chdir.value.starts_with('/')
        && host_dir(pool, &chdir.value) != "/"
    {
        return vec![(
            host_dir(pool, &chdir.value),
            Some((chdir.origin.file, chdir.span())),
        )];
    }
    let Some(setting) = effective(&cx.model.php_ini, Some(pool), "open_basedir") else {
        return Vec::new();
    };
    let place = setting.origin.map(|o| (o.file, origin_span(o)));
    basedir_entries(&setting.value)
        .filter(|e| e.starts_with('/') && !e.contains("${"))
        .filter(|e| !is_shared_dir(e) && broad_entry(e).is_none())
        .map(|e| (host_dir(pool, e), place))
        .collect()
}

impl Rule for BasedirCoversOtherApp {
    fn meta(&self) -> &'static super::RuleMeta {
        Self::meta_static()
    }

    fn check(&self, cx: Context<'_>, out: &mut Vec<Finding>) {
        let pools = &cx.model.fpm.pools;
        if pools.len() < 2 {
            return;
        }
        for group in groups(cx.model, "open_basedir") {
            if group.setting.origin.is_none() {
                continue;
            }
            let mut reasons = Vec::new();
            let mut related = Vec::new();
            for a in &group.pools {
                let own: Vec<String> = trees(cx, a).into_iter().map(|(t, _)| t).collect();
                let entries: Vec<&str> = basedir_entries(&group.setting.value)
                    .filter(|e| e.starts_with('/') && !e.contains("${") && !is_shared_dir(e))
                    .collect();
                for b in pools.iter().filter(|b| b.name != a.name) {
                    for (tree, place) in trees(cx, b) {
                        if own.contains(&tree) {
                            continue;
                        }
                        // Chroot applies to the entry as well as to the tree.
                        let Some(entry) = entries.iter().find(|e| admits(&host_entry(a, e), &tree))
                        else {
                            continue;
                        };
                        reasons.push(format!(
                            "[{}]'s entry `{entry}` admits [{}]'s tree `{tree}`",
                            a.name, b.name
                        ));
                        if let Some((file, range)) = place {
                            related.push((
                                file,
                                range,
                                format!("pool [{}]'s tree `{tree}`", b.name),
                            ));
                        }
                    }
                }
            }
            if reasons.is_empty() {
                continue;
            }
            for place in places(cx.sources, cx.model, "open_basedir", &group) {
                let message = format!(
                    "`open_basedir`{} reaches another app: {} (PHP compares prefixes, so an entry without a trailing `/` or a parent directory admits the neighbour)",
                    for_pools(&place.pools),
                    reasons.join("; ")
                );
                let mut finding = Self::meta_static().finding(place.file, place.range, message);
                for (file, range, note) in &related {
                    finding = finding.with_related(*file, *range, note.clone());
                }
                out.push(finding);
            }
        }
    }
}
