use super::{Context, Rule, declare_rule};
use crate::diagnostic::{Edit, Finding, Fix, Safety, Severity};
use crate::model::systemd::{Access, service_insertion, write_paths};
use crate::text::TextRange;

declare_rule! {
    /// ## What it does
    /// Reports a path FPM or PHP must write that the unit's sandbox makes read-only or hides:
    /// the pid file, error and access logs, slowlogs, the directory of a pool's unix socket,
    /// `session.save_path` (the directory of `N;MODE;/path` too), `upload_tmp_dir`,
    /// `sys_temp_dir`, `error_log` and `opcache.file_cache`, against `ProtectSystem=strict`
    /// or `full`, `ProtectHome=`, `ReadOnlyPaths=`, `InaccessiblePaths=`, `ReadWritePaths=`,
    /// `PrivateTmp=` and the `*Directory=` settings (the deepest one covering the path
    /// decides). Without php-fpm.conf and the pools it says so, at info level.
    ///
    /// ## Why is this bad?
    /// A read-only socket directory or log file stops FPM at start; a read-only session or
    /// upload directory breaks logins and uploads at run time. Either way the usual reaction
    /// is to turn `ProtectSystem=` off again, and an attacker with code execution in an app is
    /// back to a writable OS. Listing exactly the paths that must be writable keeps the rest
    /// of the host read-only for them.
    ///
    /// ## How to fix
    /// Add the directory to `ReadWritePaths=` (a `-` prefix tolerates a missing one). The
    /// fix inserts that line into the unit's drop-in; it widens what the service may write,
    /// so review it.
    ///
    /// ## Example
    /// ```systemd-unit context
    /// [Service]
    /// ExecStart=/usr/sbin/php-fpm8.2 --nodaemonize
    /// ProtectSystem=strict
    /// ReadWritePaths=/run/php
    /// ```
    /// ```fpm-pool bad
    /// [www]
    /// listen = /run/php/www.sock
    /// slowlog = /var/log/php/www-slow.log
    /// ```
    /// ```fpm-pool good
    /// [www]
    /// listen = /run/php/www.sock
    /// ```
    ///
    /// ## References
    /// - systemd.exec(5), `ProtectSystem=`, `ReadWritePaths=`, `PrivateTmp=`
    /// - research notes: systemd-containers.md §3.3, (d) 13
    WritePathReadOnly {
        id: "SYD-003",
        title: "a path FPM or PHP writes is not writable under the sandbox",
        severity: High,
        fixable: true,
    }
}

impl Rule for WritePathReadOnly {
    fn meta(&self) -> &'static super::RuleMeta {
        Self::meta_static()
    }

    fn check(&self, cx: Context<'_>, out: &mut Vec<Finding>) {
        let paths = write_paths(cx.model);
        for unit in cx.model.systemd.fpm_units() {
            if !unit.restricts_writes() {
                continue;
            }
            if !cx.model.fpm.present
                && let Some(s) = unit
                    .get("Service", "ProtectSystem")
                    .or_else(|| unit.get("Service", "ReadOnlyPaths"))
            {
                {
                    let message = format!(
                        "{}: restricts writes, but php-fpm.conf and the pool files were not given; they settle whether the sockets, logs and pid file FPM writes are covered by ReadWritePaths=",
                        unit.name
                    );
                    out.push(
                        Self::meta_static()
                            .finding(s.origin.file, s.span(), message)
                            .with_severity(Severity::Info),
                    );
                }
            }
            for write in &paths {
                let path = cx.sources.get(write.file).map_or("", |f| f.path.as_str());
                if !unit.serves(path) {
                    continue;
                }
                let verdict = unit.access(&write.path);
                let state = match verdict.access {
                    Access::Writable => continue,
                    Access::ReadOnly => "read-only",
                    Access::Hidden => "hidden",
                };
                let message = format!(
                    "{} `{}` is {state} under {} ({}): FPM or PHP fails to write it; add ReadWritePaths={}",
                    write.what, write.path, unit.name, verdict.why, write.dir
                );
                let mut finding = Self::meta_static().finding(write.file, write.range, message);
                if let Some(s) = verdict.setting {
                    finding = finding.with_related(s.origin.file, s.span(), verdict.why.clone());
                }
                if verdict.access == Access::ReadOnly
                    && let Some((file, header)) = service_insertion(cx.model, unit)
                {
                    finding = finding.with_fix(Fix {
                        title: format!("add ReadWritePaths={}", write.dir),
                        // Widens what the service may write.
                        safety: Safety::NeedsReview,
                        edits: vec![Edit {
                            file,
                            range: TextRange::new(header.end, header.end),
                            replacement: format!("\nReadWritePaths={}", write.dir),
                        }],
                    });
                }
                out.push(finding);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::Severity;
    use crate::source::{FileKind, SourceFile, SourceSet};

    /// Without php-fpm.conf and the pools the question stays open: one info finding names the
    /// files that would settle it.
    #[test]
    fn without_pools_it_says_which_files_are_missing() {
        let mut sources = SourceSet::new();
        sources.add(SourceFile::new(
            "/lib/systemd/system/php8.2-fpm.service",
            "[Service]\nExecStart=/usr/sbin/php-fpm8.2 --nodaemonize\nProtectSystem=strict\n",
            FileKind::SystemdUnit,
        ));
        let report = crate::audit(&sources);
        let hits: Vec<_> = report
            .findings
            .iter()
            .filter(|f| f.rule == "SYD-003")
            .collect();
        assert_eq!(hits.len(), 1, "{hits:?}");
        assert_eq!(hits[0].severity, Severity::Info);
        assert!(
            hits[0]
                .message
                .contains("php-fpm.conf and the pool files were not given")
        );
    }
}
