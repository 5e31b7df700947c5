use super::{Context, Rule, declare_rule};
use crate::diagnostic::{Edit, Finding, Fix, Safety, Severity};
use crate::model::fpm::{ARRAY_DIRECTIVES, Section, Setting};
use crate::model::fpm_directives::{Scope, lookup};
use crate::model::fpm_values::{place, written, written_name};

declare_rule! {
    /// ## What it does
    /// Reports a directive set more than once for the same pool (or `[global]`), pointing at
    /// the occurrence FPM ignores. For a scalar (`pm.max_children`, `listen`) the last one
    /// wins, which is what most people expect (info). For an array key (`php_admin_value[k]`,
    /// `php_value[k]`/`php_flag[k]`, `env[k]`) the **first** one wins, so a later line meant as
    /// an override is silently ignored (medium).
    ///
    /// ## Why is this bad?
    /// The file says two things and only one is true. A hardening line appended at the end of
    /// a pool, `php_admin_value[open_basedir] = /srv/shop/` after an earlier `/srv/`, does
    /// nothing; `php-fpm -tt` even lists the repeated keys in reverse order.
    ///
    /// ## How to fix
    /// Keep one line per directive: delete the ignored one, or, for array keys, move the value
    /// you want into the first occurrence.
    ///
    /// ## Example
    /// ```fpm-pool bad
    /// [shop]
    /// listen = /run/php/shop.sock
    /// php_admin_value[open_basedir] = /srv/
    /// php_admin_value[open_basedir] = /srv/shop/
    /// ```
    /// ```fpm-pool good
    /// [shop]
    /// listen = /run/php/shop.sock
    /// php_admin_value[open_basedir] = /srv/shop/
    /// ```
    ///
    /// ## References
    /// - php-src#8398 and php-src#13249 (repeated array keys: first one wins)
    /// - php-src `sapi/fpm/fpm/fpm_conf.c`, `fpm_conf_set_array`
    DuplicateDirective {
        id: "FPM-009",
        title: "Duplicate directive",
        severity: Medium,
        fixable: true,
    }
}

impl Rule for DuplicateDirective {
    fn meta(&self) -> &'static super::RuleMeta {
        Self::meta_static()
    }

    fn check(&self, cx: Context<'_>, out: &mut Vec<Finding>) {
        let fpm = &cx.model.fpm;
        for section in std::iter::once(&fpm.global).chain(&fpm.pools) {
            // No pool can be named `global`: FPM reads that header as the global section.
            let scope = if section.name == "global" {
                Scope::Global
            } else {
                Scope::Pool
            };
            for (name, occurrences) in &section.scalars {
                let Some((effective, shadowed)) = occurrences.all.split_last() else {
                    continue;
                };
                if lookup(name, scope).is_none() {
                    continue;
                }
                for s in shadowed {
                    let message = format!(
                        "`{}` is set again at {} in [{}]: FPM keeps the last value, `{}`, and ignores this `{}`",
                        written_name(cx.sources, s),
                        place(
                            cx.sources,
                            s.origin.file,
                            effective.origin.file,
                            effective.key_range.start
                        ),
                        section.name,
                        written(cx.sources, effective),
                        written(cx.sources, s)
                    );
                    out.push(
                        report(section, s, effective, message, Safety::Safe)
                            .with_severity(Severity::Info),
                    );
                }
            }
            if scope == Scope::Global {
                continue;
            }
            for ((directive, key), occurrences) in &section.arrays {
                let Some((effective, shadowed)) = occurrences.all.split_first() else {
                    continue;
                };
                if !ARRAY_DIRECTIVES.contains(&directive.as_str()) {
                    continue;
                }
                for s in shadowed {
                    let message = format!(
                        "`{}[{key}] = {}` is ignored: for a repeated array key FPM keeps the first value, `{}` from {}",
                        written_name(cx.sources, s),
                        written(cx.sources, s),
                        written(cx.sources, effective),
                        place(
                            cx.sources,
                            s.origin.file,
                            effective.origin.file,
                            effective.key_range.start
                        )
                    );
                    // Deleting keeps today's behaviour, but the later line is usually the one
                    // that was meant: a person chooses.
                    out.push(report(section, s, effective, message, Safety::NeedsReview));
                }
            }
        }
    }
}

fn report(
    section: &Section,
    shadowed: &Setting,
    effective: &Setting,
    message: String,
    safety: Safety,
) -> Finding {
    let finding = DuplicateDirective::meta_static()
        .finding(shadowed.origin.file, shadowed.span(), message)
        .with_related(
            effective.origin.file,
            effective.span(),
            format!("the value FPM uses for [{}]", section.name),
        );
    // Only offer the deletion inside one file: an override in a later file (docker's
    // zz-docker.conf) is deliberate, and the other file may belong to a package.
    if shadowed.origin.file != effective.origin.file {
        return finding;
    }
    finding.with_fix(Fix {
        title: "delete the ignored line".into(),
        safety,
        edits: vec![Edit {
            file: shadowed.origin.file,
            range: shadowed.origin.statement,
            replacement: String::new(),
        }],
    })
}
