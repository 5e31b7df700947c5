use super::{Context, Rule, declare_rule};
use crate::diagnostic::{Finding, Safety};
use crate::model::php_stack::{effective, is_on, jits};
use crate::model::php_values::replace_value;

declare_rule! {
    /// ## What it does
    /// Reports a PHP-FPM unit with `MemoryDenyWriteExecute=yes` while PHP would use a JIT:
    /// `pcre.jit` on (PHP's default) in php.ini or a pool, or the OPcache JIT active
    /// (`opcache.jit_buffer_size` above 0 and `opcache.jit` not `disable`/`off`/`0`).
    ///
    /// ## Why is this bad?
    /// Both JITs need memory that is writable and then executable, which the setting forbids.
    /// PCRE logs "Allocation of JIT memory failed, PCRE JIT will be disabled" and runs
    /// slower; the OPcache JIT fails with `mprotect()` errors. The usual reaction is to drop
    /// `MemoryDenyWriteExecute=` altogether, giving up a barrier against injected machine
    /// code after an app is compromised, when turning the JITs off keeps it.
    ///
    /// ## How to fix
    /// Set `pcre.jit=0` and `opcache.jit=disable` in FPM's php.ini (and remove pool
    /// overrides), or remove `MemoryDenyWriteExecute=yes` if the JIT is worth more to you.
    /// When php.ini turns `pcre.jit` on, the fix sets it to 0; regular expressions get slower,
    /// so it is marked for review.
    ///
    /// ## Example
    /// ```systemd-unit context
    /// [Service]
    /// ExecStart=/usr/sbin/php-fpm8.2 --nodaemonize
    /// ```
    /// ```systemd-dropin bad
    /// [Service]
    /// MemoryDenyWriteExecute=yes
    /// ```
    /// ```systemd-dropin good
    /// [Service]
    /// MemoryDenyWriteExecute=no
    /// ```
    ///
    /// ## References
    /// - systemd.exec(5), `MemoryDenyWriteExecute=`
    /// - php-src issue #21450; PHP manual, `pcre.jit`, `opcache.jit`
    MdweVersusJit {
        id: "SYD-006",
        title: "MemoryDenyWriteExecute vs PCRE/opcache JIT",
        severity: Medium,
        fixable: true,
    }
}

impl Rule for MdweVersusJit {
    fn meta(&self) -> &'static super::RuleMeta {
        Self::meta_static()
    }

    fn check(&self, cx: Context<'_>, out: &mut Vec<Finding>) {
        for unit in cx.model.systemd.fpm_units() {
            if unit.flag("Service", "MemoryDenyWriteExecute") != Some(true) {
                continue;
            }
            let Some(mdwe) = unit.get("Service", "MemoryDenyWriteExecute") else {
                continue;
            };
            // The php.ini given may be another PHP version's (php8.3's for php8.2-fpm).
            let path_of = |f: crate::FileId| cx.sources.get(f).map_or("", |s| s.path.as_str());
            let own_ini = cx
                .model
                .php_ini
                .main
                .is_none_or(|f| unit.serves(path_of(f)));
            if !own_ini {
                let message = format!(
                    "{}: MemoryDenyWriteExecute=yes, and PHP turns pcre.jit on by default (this version's php.ini was not given); the JIT fails (\"Allocation of JIT memory failed, PCRE JIT will be disabled\"), so set pcre.jit=0 rather than dropping the protection",
                    unit.name
                );
                out.push(Self::meta_static().finding(mdwe.origin.file, mdwe.span(), message));
                continue;
            }
            let mut reasons = jits(&cx.model.php_ini, None);
            for pool in &cx.model.fpm.pools {
                if !pool.anchor().is_some_and(|(f, _)| unit.serves(path_of(f))) {
                    continue;
                }
                for (what, origin) in jits(&cx.model.php_ini, Some(pool)) {
                    if !reasons.iter().any(|(_, o)| *o == origin) {
                        reasons.push((format!("{what} in pool [{}]", pool.name), origin));
                    }
                }
            }
            if reasons.is_empty() {
                continue;
            }
            let mut whats: Vec<&str> = reasons.iter().map(|(w, _)| w.as_str()).collect();
            whats.dedup();
            let missing = if cx.model.php_ini.present {
                ""
            } else {
                " (FPM's php.ini was not given; this assumes PHP's defaults)"
            };
            let message = format!(
                "{}: MemoryDenyWriteExecute=yes while {}{missing}; the JIT fails (\"Allocation of JIT memory failed, PCRE JIT will be disabled\"), so set pcre.jit=0 and opcache.jit=disable rather than dropping the protection",
                unit.name,
                whats.join(", ")
            );
            let mut finding = Self::meta_static().finding(mdwe.origin.file, mdwe.span(), message);
            for (what, origin) in &reasons {
                if let Some(o) = origin {
                    finding = finding.with_related(o.file, o.statement, what.clone());
                }
            }
            // The php.ini line is the mechanical part; pool overrides and OPcache stay manual.
            let pcre = effective(&cx.model.php_ini, None, "pcre.jit").filter(|s| is_on(&s.value));
            if let Some(mut fix) = pcre.and_then(|s| replace_value(&s, "0", Safety::NeedsReview)) {
                // Regular expressions run slower without the JIT.
                fix.title = "set pcre.jit = 0 in php.ini".into();
                finding = finding.with_fix(fix);
            }
            out.push(finding);
        }
    }
}
