use super::{Context, Rule, declare_rule};
use crate::diagnostic::{Edit, Finding, Fix, Safety};

/// Name parts that mark a credential (`DB_PASSWORD`, `APP_SECRET`, `API_TOKEN`).
const SECRET_PARTS: [&str; 10] = [
    "PASSWORD",
    "PASSWD",
    "PASS",
    "PWD",
    "SECRET",
    "TOKEN",
    "APIKEY",
    "DSN",
    "CREDENTIALS",
    "CREDENTIAL",
];
/// Trailing name parts that describe a credential without being one (`TOKEN_TTL`,
/// `DB_PASSWORD_FILE`, `SECRET_NAME`).
const QUALIFIERS: [&str; 14] = [
    "FILE", "PATH", "DIR", "TTL", "LIFETIME", "EXPIRY", "EXPIRE", "TIMEOUT", "LENGTH", "NAME",
    "HEADER", "ENABLED", "ALGO", "ID",
];
/// Prefixes of well-known API keys.
const KEY_PREFIXES: [&str; 6] = [
    "sk_live_",
    "rk_live_",
    "ghp_",
    "github_pat_",
    "xoxb-",
    "AKIA",
];

declare_rule! {
    /// ## What it does
    /// Reports `env[NAME] = value` lines that put a literal secret in the pool file: the name
    /// says password, secret, token, key or DSN (`DB_PASSWORD`, `APP_KEY`, `DATABASE_DSN`),
    /// or the value is a URL with a password (`mysql://app:pw@db/app`) or a well-known API
    /// key. Passing a variable through from the master (`env[DB_PASSWORD] = $DB_PASSWORD`) is
    /// fine, and names such as `TOKEN_TTL` or `DB_PASSWORD_FILE` are not secrets.
    ///
    /// ## Why is this bad?
    /// Pool files are often world-readable (Debian installs them 0644), copied into images,
    /// backups and tickets, and `php-fpm -tt` prints every `env[]` value to the log. The value
    /// also shows up in `phpinfo()` and `$_SERVER`.
    ///
    /// ## How to fix
    /// Pass the variable through from the service's environment (`env[DB_PASSWORD] =
    /// $DB_PASSWORD`, with the value in a root-only `EnvironmentFile=`), or have the app read
    /// a secret file outside the web root.
    ///
    /// ## Example
    /// ```fpm-pool bad
    /// [crm]
    /// env[DB_PASSWORD] = "Xy7;q9"
    /// ```
    /// ```fpm-pool good
    /// [crm]
    /// env[DB_PASSWORD] = $DB_PASSWORD
    /// env[DB_PASSWORD_FILE] = /run/secrets/db
    /// env[SESSION_TOKEN_TTL] = 3600
    /// ```
    ///
    /// ## References
    /// - php-src `sapi/fpm/fpm/fpm_env.c` (`$NAME` pass-through)
    /// - php-src `sapi/fpm/fpm/fpm_conf.c`, `fpm_conf_dump` (`php-fpm -tt` prints env values)
    /// - systemd.exec(5): `EnvironmentFile=`
    SecretInPoolEnv {
        id: "FPM-111",
        title: "Secret in pool environment",
        severity: Medium,
        fixable: true,
    }
}

/// Why `NAME = value` looks like a credential, if it does.
fn secret(name: &str, value: &str) -> Option<&'static str> {
    // `$NAME` is read from the master's environment, `${NAME}` expanded from it at load.
    if value.trim().is_empty() || value.starts_with('$') || value.contains("${") {
        return None;
    }
    let upper = name.to_ascii_uppercase();
    let parts: Vec<&str> = upper
        .split(['_', '-', '.'])
        .filter(|p| !p.is_empty())
        .collect();
    let last = parts.last().copied().unwrap_or("");
    let named = !QUALIFIERS.contains(&last)
        && !parts.contains(&"PUBLIC")
        && (parts.iter().any(|p| SECRET_PARTS.contains(p)) || (last == "KEY" && parts.len() > 1))
        && upper != "PWD";
    if named {
        return Some("its name says it is a credential");
    }
    let lower = value.to_ascii_lowercase();
    let url_password = value.split_once("://").is_some_and(|(_, rest)| {
        let authority = rest.split('/').next().unwrap_or("");
        authority
            .rsplit_once('@')
            .is_some_and(|(userinfo, _)| userinfo.contains(':'))
    });
    if url_password || lower.contains("password=") {
        return Some("the value holds a password");
    }
    if KEY_PREFIXES.iter().any(|p| value.starts_with(p)) || value.contains("PRIVATE KEY") {
        return Some("the value is an API key");
    }
    None
}

impl Rule for SecretInPoolEnv {
    fn meta(&self) -> &'static super::RuleMeta {
        Self::meta_static()
    }

    fn check(&self, cx: Context<'_>, out: &mut Vec<Finding>) {
        for pool in &cx.model.fpm.pools {
            for ((directive, name), occurrences) in &pool.arrays {
                if directive != "env" {
                    continue;
                }
                for setting in &occurrences.all {
                    let Some(why) = secret(name, &setting.value) else {
                        continue;
                    };
                    let message = format!(
                        "pool [{}] writes a literal secret in `env[{name}]` ({why}): pool files are widely readable and `php-fpm -tt` logs env values; pass it through with `env[{name}] = ${name}` from a root-only environment file",
                        pool.name
                    );
                    let fix = Fix {
                        title: format!("read `{name}` from the master's environment"),
                        // The service must then provide the variable.
                        safety: Safety::NeedsReview,
                        edits: vec![Edit {
                            file: setting.origin.file,
                            range: setting.origin.value,
                            replacement: format!("${name}"),
                        }],
                    };
                    out.push(
                        Self::meta_static()
                            .finding(setting.origin.file, setting.span(), message)
                            .with_fix(fix),
                    );
                }
            }
        }
    }
}
