use super::{Context, Rule, declare_rule};
use crate::diagnostic::Finding;
use crate::model::fpm::Section;
use crate::model::php_stack::{Layer, effective};
use crate::model::php_values::{host_dir, main_given, names, pool_place, session_dir};
use crate::source::FileId;
use crate::text::TextRange;

declare_rule! {
    /// ## What it does
    /// Compares the session directory of every pool that stores sessions in files
    /// (`session.save_handler = files`, the default): the effective `session.save_path` after
    /// FPM's `$pool` expansion, with its `N;MODE;` prefix dropped, relative paths resolved
    /// against `chdir` and `chroot` applied. An explicitly empty path means the temp directory
    /// (`sys_temp_dir`, else `/tmp`); pools that leave the key unset all get PHP's built-in
    /// default (the temp directory, or `/var/lib/php/sessions` in Debian's builds), which is
    /// one directory for all of them. Reports every directory used by two pools or more, once,
    /// at the first pool's setting (or header), with the other pools as related locations.
    ///
    /// ## Why is this bad?
    /// Session files hold logins. In a shared directory one app can list the others' session
    /// ids (in `/tmp`) and replay them as cookies, read or overwrite their session files when
    /// the pools share a unix user, and its garbage collector deletes the others' sessions on
    /// its own schedule.
    ///
    /// ## How to fix
    /// Give each pool its own directory, owned by its user with mode 0700:
    /// `php_admin_value[session.save_path] = /var/lib/php/sessions/$pool`.
    ///
    /// ## Example
    /// ```fpm-pool bad
    /// [a]
    /// user = a
    /// php_admin_value[session.save_path] = /var/lib/php/sessions
    /// [b]
    /// user = b
    /// php_admin_value[session.save_path] = /var/lib/php/sessions
    /// ```
    /// ```fpm-pool good
    /// [a]
    /// user = a
    /// php_admin_value[session.save_path] = /var/lib/php/sessions/$pool
    /// [b]
    /// user = b
    /// php_admin_value[session.save_path] = /var/lib/php/sessions/$pool
    /// ```
    ///
    /// ## References
    /// - PHP manual, session configuration: `session.save_path`, `session.gc_maxlifetime` note
    /// - iniscan rule CheckSessionPath; pcc help text on shared session directories
    SharedSessionDir {
        id: "FPM-303",
        title: "Pools share a session directory",
        severity: High,
        fixable: false,
    }
}

struct Use<'a> {
    pool: &'a Section,
    place: (FileId, TextRange),
    how: &'static str,
}

impl Rule for SharedSessionDir {
    fn meta(&self) -> &'static super::RuleMeta {
        Self::meta_static()
    }

    fn check(&self, cx: Context<'_>, out: &mut Vec<Finding>) {
        let ini = &cx.model.php_ini;
        let mut dirs: Vec<(String, String, Vec<Use<'_>>)> = Vec::new();
        for pool in &cx.model.fpm.pools {
            let handler = effective(ini, Some(pool), "session.save_handler").map_or_else(
                || "files".to_string(),
                |s| s.value.trim().to_ascii_lowercase(),
            );
            let Some(setting) = effective(ini, Some(pool), "session.save_path") else {
                continue;
            };
            if handler != "files" && !handler.is_empty() {
                continue;
            }
            let temp = effective(ini, Some(pool), "sys_temp_dir")
                .map(|s| s.value)
                .filter(|v| !v.trim().is_empty());
            let path = session_dir(&setting.value);
            let (key, shown, how) = match (setting.layer, path.is_empty()) {
                (Layer::Default, _) => (
                    format!(
                        "default|{}",
                        host_dir(pool, temp.as_deref().unwrap_or("/tmp"))
                    ),
                    "PHP's built-in default".to_string(),
                    "session.save_path is not set: the temp directory, or /var/lib/php/sessions in Debian's builds",
                ),
                (_, true) => {
                    let dir = host_dir(pool, temp.as_deref().unwrap_or("/tmp"));
                    (
                        dir.clone(),
                        format!("`{dir}`"),
                        "session.save_path is empty, so the temp directory is used",
                    )
                }
                (layer, false) => {
                    let dir = host_dir(pool, path);
                    let how = match layer {
                        Layer::PhpIni => "from php.ini",
                        _ => "set by the pool",
                    };
                    (dir.clone(), format!("`{dir}`"), how)
                }
            };
            let Some(place) = pool_place(pool, &setting) else {
                continue;
            };
            let entry = Use { pool, place, how };
            match dirs.iter_mut().find(|(k, _, _)| *k == key) {
                Some((_, _, uses)) => uses.push(entry),
                None => dirs.push((key, shown, vec![entry])),
            }
        }
        for (_, shown, uses) in dirs.iter().filter(|(_, _, u)| u.len() > 1) {
            let Some(first) = uses.first() else { continue };
            let pools: Vec<&Section> = uses.iter().map(|u| u.pool).collect();
            let same_how = uses.iter().all(|u| u.how == first.how);
            let detail = if same_how {
                first.how.to_string()
            } else {
                uses.iter()
                    .map(|u| format!("[{}] {}", u.pool.name, u.how))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            let mut message = format!(
                "pools {} keep their sessions in the same directory, {shown} ({detail}): each app can list, replay or delete the others' sessions",
                names(&pools),
            );
            if !main_given(cx.sources, cx.model) && uses.iter().any(|u| u.how != "set by the pool")
            {
                message.push_str("; php.ini was not given, but whatever it sets is inherited by all of them alike");
            }
            let mut finding = Self::meta_static().finding(first.place.0, first.place.1, message);
            for other in uses.iter().skip(1) {
                if other.place != first.place {
                    finding = finding.with_related(
                        other.place.0,
                        other.place.1,
                        format!("pool [{}] uses the same session directory", other.pool.name),
                    );
                }
            }
            out.push(finding);
        }
    }
}
