use super::{Context, Rule, declare_rule};
use crate::diagnostic::Finding;
use crate::model::fpm::Section;
use crate::model::fpm_values::{int, pm};

declare_rule! {
    /// ## What it does
    /// Reports a global `process.max` lower than the number of workers the pools start with:
    /// `pm.max_children` of each static pool, `pm.start_servers` of each dynamic pool (FPM's
    /// default `min + (max - min) / 2` when unset), and one worker for each ondemand pool.
    ///
    /// ## Why is this bad?
    /// `process.max` caps the workers of all pools together. When the pools need more, FPM
    /// stops forking at the cap: the pools read last start with fewer workers than configured,
    /// or none, and their sites answer 502 while the others look healthy. Static pools never
    /// give their workers back, so the starved pools stay starved.
    ///
    /// ## How to fix
    /// Raise `process.max` to at least the total (plus headroom for dynamic pools to grow), or
    /// remove it and size each pool with `pm.max_children`.
    ///
    /// ## Example
    /// ```fpm-global bad
    /// [global]
    /// process.max = 4
    /// [shop]
    /// listen = /run/php/shop.sock
    /// pm = static
    /// pm.max_children = 4
    /// [blog]
    /// listen = /run/php/blog.sock
    /// pm = static
    /// pm.max_children = 2
    /// ```
    /// ```fpm-global good
    /// [global]
    /// process.max = 8
    /// [shop]
    /// listen = /run/php/shop.sock
    /// pm = static
    /// pm.max_children = 4
    /// [blog]
    /// listen = /run/php/blog.sock
    /// pm = static
    /// pm.max_children = 2
    /// ```
    ///
    /// ## References
    /// - PHP manual, FPM configuration: `process.max`
    /// - php-src `sapi/fpm/fpm/fpm_children.c`, `fpm_children_make` (stops at `process.max`)
    /// - php-src#21300
    ProcessMaxTooLow {
        id: "FPM-205",
        title: "process.max below what the pools need",
        severity: Medium,
        fixable: false,
    }
}

/// The workers a pool starts with, and how that number was found.
fn starting(pool: &Section) -> Option<(i64, String)> {
    let get = |name: &str| int(pool, name).map_or(0, |(v, _)| v);
    let (style, _) = pm(pool)?;
    Some(match style {
        "static" => (get("pm.max_children"), "static".into()),
        "dynamic" => {
            let start = get("pm.start_servers");
            let start = if start > 0 {
                start
            } else {
                let (min, max) = (get("pm.min_spare_servers"), get("pm.max_spare_servers"));
                min + (max - min) / 2
            };
            (start, "start_servers".into())
        }
        _ => (1, "ondemand".into()),
    })
}

impl Rule for ProcessMaxTooLow {
    fn meta(&self) -> &'static super::RuleMeta {
        Self::meta_static()
    }

    fn check(&self, cx: Context<'_>, out: &mut Vec<Finding>) {
        let Some((max, setting)) = int(&cx.model.fpm.global, "process.max") else {
            return;
        };
        if max <= 0 {
            return;
        }
        let needs: Vec<(&Section, i64, String)> = cx
            .model
            .fpm
            .pools
            .iter()
            .filter_map(|p| starting(p).map(|(n, how)| (p, n.max(0), how)))
            .collect();
        let total: i64 = needs.iter().map(|(_, n, _)| n).sum();
        if total <= max {
            return;
        }
        let parts: Vec<String> = needs
            .iter()
            .map(|(p, n, how)| format!("[{}] {n} ({how})", p.name))
            .collect();
        let message = format!(
            "process.max = {max} is below the {total} workers the pools start with ({}): FPM stops forking at the cap and the last pools start short of workers or with none; raise it to at least {total}",
            parts.join(", ")
        );
        out.push(Self::meta_static().finding(setting.origin.file, setting.span(), message));
    }
}
