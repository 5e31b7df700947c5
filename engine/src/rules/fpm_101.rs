use super::{Context, Rule, declare_rule};
use crate::diagnostic::Finding;

declare_rule! {
    /// ## What it does
    /// Reports pools whose `user` or `group` is `root` or `0`.
    ///
    /// ## Why is this bad?
    /// Every PHP request of the pool then runs with root's rights (or root's group): one file
    /// upload bug, one unserialize gadget or one vulnerable plugin owns the whole host, every
    /// other pool and every secret on it. php-fpm refuses such a pool unless the master is
    /// started with `--allow-to-run-as-root` (`-R`), so its presence also means someone added
    /// that flag.
    ///
    /// ## How to fix
    /// Create a dedicated account per pool (`useradd --system --no-create-home shop`) and set
    /// `user = shop` and `group = shop`. Let the web server reach the socket through
    /// `listen.owner`/`listen.group`, and remove `-R` from the service's command line.
    ///
    /// ## Example
    /// ```fpm-pool bad
    /// [www]
    /// user = root
    /// group = root
    /// listen = /run/php/www.sock
    /// ```
    /// ```fpm-pool good
    /// [www]
    /// user = www
    /// group = www
    /// listen = /run/php/www.sock
    /// ```
    ///
    /// ## References
    /// - php-src `sapi/fpm/fpm/fpm_unix.c` ("please specify user and group other than root")
    /// - PHP manual, php-fpm command line: `--allow-to-run-as-root`
    PoolRunsAsRoot {
        id: "FPM-101",
        title: "Pool runs as root",
        severity: Critical,
        fixable: false,
    }
}

/// `root`, or a numeric id of 0 (`0`, `00`).
fn is_root(value: &str) -> bool {
    let v = value.trim();
    v == "root" || (!v.is_empty() && v.bytes().all(|b| b == b'0'))
}

impl Rule for PoolRunsAsRoot {
    fn meta(&self) -> &'static super::RuleMeta {
        Self::meta_static()
    }

    fn check(&self, cx: Context<'_>, out: &mut Vec<Finding>) {
        for pool in &cx.model.fpm.pools {
            for (directive, what) in [("user", "as root"), ("group", "with root's group")] {
                let Some(setting) = pool.get(directive).filter(|s| is_root(&s.value)) else {
                    continue;
                };
                let message = format!(
                    "pool [{}] runs PHP {what} (`{directive} = {}`): any code execution in the app controls the host; php-fpm only starts it with --allow-to-run-as-root",
                    pool.name, setting.value
                );
                out.push(Self::meta_static().finding(setting.origin.file, setting.span(), message));
            }
        }
    }
}
