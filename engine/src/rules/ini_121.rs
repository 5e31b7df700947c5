use std::fmt::Write as _;

use super::{Context, Rule, declare_rule};
use crate::diagnostic::{Edit, Finding, Fix, Safety, Severity};
use crate::model::php_stack::{effective, is_on};
use crate::model::php_values::{for_pools, loaded_extensions, origin_span};
use crate::text::TextRange;

/// Debugging, profiling, coverage and code-patching extensions, with what they expose.
const DEBUG_EXTENSIONS: &[(&str, &str)] = &[
    ("xdebug", "a step debugger and profiler"),
    ("pcov", "a code-coverage driver"),
    ("xhprof", "a profiler"),
    ("tideways", "a profiler"),
    ("tideways_xhprof", "a profiler"),
    ("spx", "a profiler with a web UI"),
    ("memprof", "a memory profiler"),
    ("vld", "an opcode dumper"),
    ("runkit", "a runtime code patcher"),
    ("runkit7", "a runtime code patcher"),
    ("uopz", "a runtime code patcher"),
    ("phpdbg", "a debugger"),
];

declare_rule! {
    /// ## What it does
    /// Reports every `extension=`/`zend_extension=` line of php.ini or its scan directory that
    /// loads a debugging, profiling or code-patching extension: Xdebug, PCOV, XHProf,
    /// Tideways, SPX, memprof, VLD, runkit, uopz. Xdebug with step debugging
    /// (`xdebug.mode=debug`) and `xdebug.discover_client_host=1` (Xdebug 2:
    /// `remote_enable` + `remote_connect_back`) is critical. Extensions a pool loads with
    /// `php_admin_value[extension]` are FPM-118's.
    ///
    /// ## Why is this bad?
    /// These extensions are built to look inside running code. Xdebug's step debugger, told to
    /// connect back to whoever sent the request, hands that client a debugger session that
    /// evaluates arbitrary PHP. Profilers write traces full of request data to disk or serve
    /// them over HTTP (SPX); code patchers rewrite functions at run time. All of them cost
    /// performance and are meant for development machines.
    ///
    /// ## How to fix
    /// Remove the line (or the conf.d symlink, `phpdismod xdebug` on Debian) on production
    /// hosts, then restart FPM. Profile production with a tool designed for it, behind
    /// authentication.
    ///
    /// ## Example
    /// ```php-ini bad /etc/php/8.2/fpm/conf.d/20-xdebug.ini
    /// zend_extension=xdebug.so
    /// ```
    /// ```php-ini good /etc/php/8.2/fpm/conf.d/10-opcache.ini
    /// zend_extension=opcache.so
    /// ```
    ///
    /// ## References
    /// - Xdebug documentation: `xdebug.mode`, `xdebug.discover_client_host`
    /// - sektioneins/pcc issue #11 (xdebug, vld, runkit in production)
    DebugExtensions {
        id: "INI-121",
        title: "Debug extensions loaded",
        severity: High,
        fixable: true,
    }
}

impl Rule for DebugExtensions {
    fn meta(&self) -> &'static super::RuleMeta {
        Self::meta_static()
    }

    fn check(&self, cx: Context<'_>, out: &mut Vec<Finding>) {
        let ini = &cx.model.php_ini;
        let pools = &cx.model.fpm.pools;
        let get = |pool, key| {
            effective(ini, pool, key)
                .map(|s| s.value)
                .unwrap_or_default()
        };
        // Step debugging that connects back to whoever sent the request.
        let connects_back = |pool| {
            let mode = get(pool, "xdebug.mode");
            let v3 = mode.split(',').any(|m| m.trim() == "debug")
                && is_on(&get(pool, "xdebug.discover_client_host"));
            let v2 = is_on(&get(pool, "xdebug.remote_enable"))
                && is_on(&get(pool, "xdebug.remote_connect_back"));
            v3 || v2
        };
        let exposed: Vec<&crate::model::fpm::Section> =
            pools.iter().filter(|p| connects_back(Some(p))).collect();
        let critical = if pools.is_empty() {
            connects_back(None)
        } else {
            !exposed.is_empty()
        };
        for ext in loaded_extensions(cx.sources, cx.model) {
            let Some((_, what)) = DEBUG_EXTENSIONS.iter().find(|(n, _)| *n == ext.name) else {
                continue;
            };
            let mut message = format!(
                "this line loads {}, {what}, into every request of this PHP: it exposes code, data and timings and is meant for development",
                ext.name
            );
            if critical && ext.name == "xdebug" {
                let _ = write!(
                    message,
                    "; step debugging connects back to the requesting client{}, which gets a debugger that runs arbitrary PHP",
                    for_pools(&exposed)
                );
            }
            let start = ext.origin.statement.start;
            let fix = Fix {
                title: format!("comment out the {} line", ext.name),
                // Development hosts and CI rely on these extensions.
                safety: Safety::NeedsReview,
                edits: vec![Edit {
                    file: ext.origin.file,
                    range: TextRange::new(start, start),
                    replacement: ";".into(),
                }],
            };
            let finding = Self::meta_static()
                .finding(ext.origin.file, origin_span(ext.origin), message)
                .with_fix(fix);
            out.push(if critical && ext.name == "xdebug" {
                finding.with_severity(Severity::Critical)
            } else {
                finding
            });
        }
    }
}
