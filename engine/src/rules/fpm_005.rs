use super::{Context, Rule, declare_rule};
use crate::diagnostic::Finding;
use crate::model::fpm::{Section, Setting};
use crate::model::fpm_values::{int, pm, seconds, text};

declare_rule! {
    /// ## What it does
    /// Checks each pool the way php-fpm checks it after reading the files: a `listen` address
    /// and a `pm` are required; `pm.max_children` must be at least 1; with `pm = dynamic`,
    /// `pm.min_spare_servers` and `pm.max_spare_servers` must be at least 1, at most
    /// `pm.max_children` and in order, `pm.start_servers` (when set) between them and
    /// `pm.max_spawn_rate` at least 1; with `pm = ondemand`, `pm.process_idle_timeout` must
    /// be at least 1s and `events.mechanism` must not be `select` or `poll`.
    ///
    /// ## Why is this bad?
    /// FPM refuses to start when any pool breaks one of these rules, so every pool of the
    /// master goes down with it. The values usually break when `pm.max_children` is lowered
    /// for a small host and the spare-server numbers are left as they were.
    ///
    /// ## How to fix
    /// Keep `1 <= min_spare <= start <= max_spare <= max_children`. The message gives the
    /// line to add or change; for `pm.start_servers` FPM's own default is
    /// `min_spare + (max_spare - min_spare) / 2`.
    ///
    /// ## Example
    /// ```fpm-pool bad
    /// [www]
    /// listen = /run/php/www.sock
    /// pm = dynamic
    /// pm.max_children = 4
    /// pm.min_spare_servers = 2
    /// pm.max_spare_servers = 8
    /// ```
    /// ```fpm-pool good
    /// [www]
    /// listen = /run/php/www.sock
    /// pm = dynamic
    /// pm.max_children = 8
    /// pm.min_spare_servers = 2
    /// pm.max_spare_servers = 4
    /// ```
    ///
    /// ## References
    /// - php-src `sapi/fpm/fpm/fpm_conf.c`, `fpm_conf_process_all_pools`
    /// - PHP manual, FPM configuration: `pm.*`
    /// - voxpupuli/puppet-php#565
    ProcessManagerInvariants {
        id: "FPM-005",
        title: "Process-manager invariants broken",
        severity: High,
        fixable: false,
    }
}

/// A broken invariant: the directive to point at (the pool header when it is missing), what
/// is wrong, and what to write instead.
type Broken<'a> = (Option<&'a Setting>, String, String);

/// An integer directive with FPM's default when unset; `None` when the value is not an integer
/// (FPM-001 reports that, and the comparisons would be meaningless).
fn read<'a>(pool: &'a Section, name: &str, default: i64) -> Option<(i64, Option<&'a Setting>)> {
    match pool.get(name) {
        None => Some((default, None)),
        Some(_) => int(pool, name).map(|(v, s)| (v, Some(s))),
    }
}

/// `pm.min_spare_servers = 0`, or `no pm.min_spare_servers` when FPM's 0 comes from its absence.
fn shown(name: &str, value: i64, at: Option<&Setting>) -> String {
    match at {
        Some(_) => format!("{name} = {value}"),
        None => format!("no {name}"),
    }
}

impl Rule for ProcessManagerInvariants {
    fn meta(&self) -> &'static super::RuleMeta {
        Self::meta_static()
    }

    fn check(&self, cx: Context<'_>, out: &mut Vec<Finding>) {
        for pool in &cx.model.fpm.pools {
            let Some((file, header)) = pool.anchor() else {
                continue;
            };
            let name = &pool.name;
            let mut broken: Vec<Broken<'_>> = Vec::new();
            if text(pool, "listen").is_none() {
                broken.push((
                    pool.get("listen"),
                    format!("pool [{name}] has no `listen` address"),
                    format!("add `listen = /run/php/{name}.sock` under [{name}]"),
                ));
            }
            match pm(pool) {
                Some((style, _)) => broken.extend(children(cx, pool, style)),
                None if pool.get("pm").is_none() => broken.push((
                    None,
                    format!("pool [{name}] has no process manager"),
                    format!("add `pm = dynamic` (or `static`, `ondemand`) under [{name}]"),
                )),
                None => {}
            }
            for (setting, problem, advice) in broken {
                let (f, range) = setting.map_or((file, header), |s| (s.origin.file, s.span()));
                let message = format!("{problem}, so php-fpm refuses to start; {advice}");
                out.push(Self::meta_static().finding(f, range, message));
            }
        }
    }
}

fn children<'a>(cx: Context<'_>, pool: &'a Section, style: &str) -> Vec<Broken<'a>> {
    let name = &pool.name;
    let Some((max_children, at)) = read(pool, "pm.max_children", 0) else {
        return Vec::new();
    };
    if max_children < 1 {
        return vec![(
            at,
            format!(
                "pool [{name}] has {} (it must be at least 1)",
                shown("pm.max_children", max_children, at)
            ),
            "set e.g. `pm.max_children = 5`".into(),
        )];
    }
    match style {
        "dynamic" => dynamic(pool, max_children).into_iter().collect(),
        "ondemand" => {
            let mut broken = Vec::new();
            let idle = match pool.get("pm.process_idle_timeout") {
                None => Some((10, None)),
                Some(_) => seconds(pool, "pm.process_idle_timeout").map(|(v, s)| (v, Some(s))),
            };
            if let Some((idle, at)) = idle
                && idle < 1
            {
                broken.push((at, format!("ondemand pool [{name}] has pm.process_idle_timeout = {idle}s (it must be at least 1s)"), "set e.g. `pm.process_idle_timeout = 10s`".into()));
            }
            if let Some(events) = cx.model.fpm.global.get("events.mechanism")
                && matches!(
                    events.value.to_ascii_lowercase().as_str(),
                    "select" | "poll"
                )
            {
                broken.push((pool.get("pm"), format!("pool [{name}] uses `pm = ondemand`, which needs an edge-triggered `events.mechanism`, but [global] sets `{}`", events.value), "use `epoll` (Linux) or `kqueue` (BSD), or another `pm`".into()));
            }
            broken
        }
        _ => Vec::new(),
    }
}

/// The first broken rule of a dynamic pool, in FPM's order (later ones follow from it).
fn dynamic(pool: &Section, max_children: i64) -> Option<Broken<'_>> {
    let name = &pool.name;
    let (min, min_at) = read(pool, "pm.min_spare_servers", 0)?;
    let (max, max_at) = read(pool, "pm.max_spare_servers", 0)?;
    let (start, start_at) = read(pool, "pm.start_servers", 0)?;
    let (rate, rate_at) = read(pool, "pm.max_spawn_rate", 32)?;
    if min <= 0 {
        let want = 1.max(max_children / 4);
        return Some((
            min_at,
            format!(
                "dynamic pool [{name}] has {} (it must be at least 1)",
                shown("pm.min_spare_servers", min, min_at)
            ),
            format!("set e.g. `pm.min_spare_servers = {want}`"),
        ));
    }
    if max <= 0 {
        let want = min.max(max_children / 2).min(max_children);
        return Some((
            max_at,
            format!(
                "dynamic pool [{name}] has {} (it must be at least 1)",
                shown("pm.max_spare_servers", max, max_at)
            ),
            format!("set e.g. `pm.max_spare_servers = {want}`"),
        ));
    }
    if min > max_children || max > max_children {
        let at = if max > max_children { max_at } else { min_at };
        return Some((
            at,
            format!(
                "pool [{name}] has pm.min_spare_servers = {min} and pm.max_spare_servers = {max}, above pm.max_children = {max_children}"
            ),
            "lower them or raise pm.max_children".into(),
        ));
    }
    if max < min {
        return Some((
            max_at,
            format!(
                "pool [{name}] has pm.max_spare_servers = {max}, below pm.min_spare_servers = {min}"
            ),
            "swap or fix the two values".into(),
        ));
    }
    if start > 0 && (start < min || start > max) {
        let want = min + (max - min) / 2;
        return Some((
            start_at,
            format!(
                "pool [{name}] has pm.start_servers = {start}, outside pm.min_spare_servers..pm.max_spare_servers ({min}..{max})"
            ),
            format!("set `pm.start_servers = {want}` or remove it"),
        ));
    }
    if rate < 1 {
        return Some((
            rate_at,
            format!("pool [{name}] has pm.max_spawn_rate = {rate} (it must be at least 1)"),
            "remove it (the default is 32)".into(),
        ));
    }
    None
}
