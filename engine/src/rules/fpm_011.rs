use super::{Context, Rule, declare_rule};
use crate::diagnostic::{Finding, Severity};
use crate::model::Parsed;
use crate::model::fpm::{FpmModel, Section};
use crate::model::fpm_directives::{Scope, lookup};
use crate::source::FileKind;
use crate::syntax::ini::StatementKind;
use crate::text::TextRange;

declare_rule! {
    /// ## What it does
    /// Reports how FPM's `include` lines and the files of the audit fit together:
    /// an `include` pattern that matches none of the files given (info: FPM only warns, and
    /// the files may simply be missing from the audit); a pool file that php-fpm.conf's
    /// includes never reach (info: FPM does not read it); and a pool file with no `[pool]`
    /// header, whose lines land in whatever section was open when FPM reached it (high when
    /// that is another pool, low when it is `[global]`, where FPM rejects them).
    ///
    /// ## Why is this bad?
    /// FPM's current section is global state that carries across included files. A pool file
    /// without its header silently reconfigures the pool of the previous file (alphabetical
    /// order), or stops FPM with `unknown entry 'user'` in `[global]`. A file nothing includes
    /// looks configured but never runs.
    ///
    /// ## How to fix
    /// Start every pool file with its `[name]` header. Make php-fpm.conf's `include` cover the
    /// pool files (`include = /etc/php/8.2/fpm/pool.d/*.conf`), and add the included files to
    /// the audit when they exist on the host.
    ///
    /// ## Example
    /// ```fpm-global context /etc/php/8.2/fpm/php-fpm.conf
    /// [global]
    /// include = /etc/php/8.2/fpm/pool.d/*.conf
    /// ```
    /// ```fpm-pool context /etc/php/8.2/fpm/pool.d/www.conf
    /// [www]
    /// listen = /run/php/www.sock
    /// ```
    /// ```fpm-pool context /etc/php/8.2/fpm/pool.d/api.conf
    /// [api]
    /// listen = /run/php/api.sock
    /// ```
    /// ```fpm-pool bad /etc/php/8.2/fpm/pool.d/zz-tuning.conf
    /// ; meant for [api], but FPM applies it to [www], read just before
    /// pm.max_children = 20
    /// ```
    /// ```fpm-pool good /etc/php/8.2/fpm/pool.d/zz-tuning.conf
    /// [api]
    /// pm.max_children = 20
    /// ```
    ///
    /// ## References
    /// - php-src `sapi/fpm/fpm/fpm_conf.c`: `fpm_conf_ini_parser_include`, `fpm_conf_load_ini_file`
    /// - laradock#1669 (pool file without a section header)
    IncludeProblems {
        id: "FPM-011",
        title: "Include problems",
        severity: Info,
        fixable: false,
    }
}

impl Rule for IncludeProblems {
    fn meta(&self) -> &'static super::RuleMeta {
        Self::meta_static()
    }

    fn check(&self, cx: Context<'_>, out: &mut Vec<Finding>) {
        let meta = Self::meta_static();
        let fpm = &cx.model.fpm;
        for u in &fpm.unresolved_includes {
            out.push(meta.finding(u.file, u.range, format!("`include` pattern `{}` matches none of the files given: FPM skips it with a warning; if such files exist on the host, add them to the audit", u.pattern)));
        }
        for &file in &fpm.unreached {
            let Some(source) = cx.sources.get(file) else {
                continue;
            };
            let first = source.line_index.line_range(0, &source.text);
            out.push(meta.finding(file, first, format!("no `include` of php-fpm.conf reaches {}: FPM never reads this file, so its pools do not run", source.path)));
        }
        for (file, parsed) in &cx.model.parsed {
            let (Some(source), Parsed::Ini(doc)) = (cx.sources.get(*file), parsed) else {
                continue;
            };
            if source.kind != FileKind::FpmPool || fpm.unreached.contains(file) {
                continue;
            }
            // The entries before the file's first section header.
            let headless: Vec<_> = doc
                .statements
                .iter()
                .take_while(|s| !matches!(s.kind, StatementKind::Section { .. }))
                .filter_map(|s| match &s.kind {
                    StatementKind::Entry(e) if e.key != "include" => Some((s.range, e)),
                    _ => None,
                })
                .collect();
            let Some(&(statement, entry)) = headless.first() else {
                continue;
            };
            let Some(section) = holder(fpm, *file, statement) else {
                continue;
            };
            let at = entry
                .key_range
                .cover(entry.value.as_ref().map_or(entry.key_range, |v| v.range));
            let finding = if section.name == "global" {
                let pool_lines = headless.iter().any(|(_, e)| {
                    e.offset.is_some()
                        || (lookup(&e.key, Scope::Pool).is_some()
                            && lookup(&e.key, Scope::Global).is_none())
                });
                if !pool_lines {
                    continue;
                }
                meta.finding(*file, at, format!("{} has no `[pool]` header: its pool directives land in [global], where php-fpm rejects them; start the file with its pool's `[name]`", source.path)).with_severity(Severity::Low)
            } else {
                let opened = section.anchor().map_or(TextRange::default(), |(_, r)| r);
                let opened_file = section.anchor().map_or(*file, |(f, _)| f);
                meta.finding(*file, at, format!("{} has no `[pool]` header: FPM applies its lines to pool [{}], the section open when it reaches the file; start the file with the `[name]` of the pool it is meant for", source.path, section.name))
                    .with_severity(Severity::High)
                    .with_related(opened_file, opened, format!("pool [{}] these lines change", section.name))
            };
            out.push(finding);
        }
    }
}

/// The section that holds the setting read from `statement` of `file`.
fn holder(fpm: &FpmModel, file: crate::source::FileId, statement: TextRange) -> Option<&Section> {
    std::iter::once(&fpm.global)
        .chain(&fpm.pools)
        .find(|section| {
            section
                .scalars
                .values()
                .chain(section.arrays.values())
                .flat_map(|o| &o.all)
                .any(|s| s.origin.file == file && s.origin.statement == statement)
        })
}
