use super::{Context, Rule, declare_rule};
use crate::diagnostic::{Finding, Safety};
use crate::model::fpm_values::{boolean, set_directive, written};

declare_rule! {
    /// ## What it does
    /// Reports pools with `clear_env = no`.
    ///
    /// ## Why is this bad?
    /// FPM then hands the master's whole environment to every PHP worker: variables set for
    /// the service by systemd or the container runtime, often database passwords, API keys
    /// and cloud credentials. Any code running in the pool reads them with `getenv()`, and
    /// `phpinfo()` or an error page prints them. The official Docker image sets it for
    /// convenience.
    ///
    /// ## How to fix
    /// Keep the default `clear_env = yes` and pass the variables the app needs one by one:
    /// `env[DB_HOST] = $DB_HOST`.
    ///
    /// ## Example
    /// ```fpm-pool bad
    /// [www]
    /// listen = /run/php/www.sock
    /// clear_env = no
    /// ```
    /// ```fpm-pool good
    /// [www]
    /// listen = /run/php/www.sock
    /// env[DB_HOST] = $DB_HOST
    /// ```
    ///
    /// ## References
    /// - PHP manual, FPM configuration: `clear_env`, `env[]`
    /// - php-src `sapi/fpm/fpm/fpm_env.c`
    /// - docker-library/php `docker-php-ext` images (`clear_env = no` in docker.conf)
    EnvNotCleared {
        id: "FPM-110",
        title: "clear_env = no",
        severity: Medium,
        fixable: true,
    }
}

impl Rule for EnvNotCleared {
    fn meta(&self) -> &'static super::RuleMeta {
        Self::meta_static()
    }

    fn check(&self, cx: Context<'_>, out: &mut Vec<Finding>) {
        for pool in &cx.model.fpm.pools {
            let Some((false, setting)) = boolean(pool, "clear_env") else {
                continue;
            };
            let message = format!(
                "pool [{}] passes the master's whole environment to PHP (`clear_env = {}`): service and container variables, often credentials, are readable by every script; pass what the app needs with `env[NAME] = $NAME`",
                pool.name,
                written(cx.sources, setting)
            );
            let mut finding =
                Self::meta_static().finding(setting.origin.file, setting.span(), message);
            // The app may read variables it gets only this way.
            if let Some(fix) =
                set_directive(cx.sources, pool, "clear_env", "yes", Safety::NeedsReview)
            {
                finding = finding.with_fix(fix);
            }
            out.push(finding);
        }
    }
}
