//! What a service unit runs: its effective `ExecStart=` command line, whether it is a PHP-FPM
//! master, and where in its files a finding about the whole unit belongs.

use super::{Setting, SystemdModel, Unit, split_words};
use crate::source::FileId;
use crate::syntax::systemd::UnitDoc;
use crate::text::TextRange;

/// The effective `ExecStart=` of a service: the last command after the last reset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExecStart<'a> {
    pub setting: &'a Setting,
    /// The `@-:+!` prefixes before the program.
    pub prefixes: String,
    /// The program and its arguments, unquoted.
    pub argv: Vec<String>,
}

impl ExecStart<'_> {
    /// The file name of the program (`php-fpm8.2`).
    pub fn program_name(&self) -> &str {
        self.argv
            .first()
            .map_or("", |p| p.rsplit('/').next().unwrap_or(p))
    }

    /// Whether the program is PHP-FPM (`php-fpm`, `php-fpm8.2`, `php8.2-fpm`, `php-fpm@`…).
    pub fn runs_php_fpm(&self) -> bool {
        is_fpm_name(self.program_name())
    }

    /// The argument that lets the master run pools as root (`-R`, `--allow-to-run-as-root`,
    /// or `-R` inside a group of short options such as `-FR`).
    pub fn allow_root_flag(&self) -> Option<&str> {
        self.argv.iter().skip(1).map(String::as_str).find(|a| {
            *a == "--allow-to-run-as-root"
                || a.strip_prefix('-')
                    .is_some_and(|s| !s.starts_with('-') && s.contains('R') && short_flags(s))
        })
    }
}

/// `-FR` style groups: php-fpm's short options that take no argument.
fn short_flags(group: &str) -> bool {
    group.bytes().all(|b| b"FRDhimtvVe".contains(&b))
}

/// `php-fpm`, `php-fpm8.2`, `php8.2-fpm`, `php-fpm@site.service`… but not the Prometheus
/// `php-fpm_exporter` and its kin.
fn is_fpm_name(name: &str) -> bool {
    name.starts_with("php") && name.contains("-fpm") && !name.contains("exporter")
}

impl Unit {
    /// The command `ExecStart=` runs, if the unit sets one.
    pub fn exec_start(&self) -> Option<ExecStart<'_>> {
        let list = self.list("Service", "ExecStart");
        let setting = list.entries.last().copied()?;
        let value = setting.value.trim_start();
        let prefix_len = value
            .find(|c: char| !matches!(c, '@' | '-' | ':' | '+' | '!'))
            .unwrap_or(value.len());
        let (prefixes, command) = value.split_at(prefix_len);
        let mut argv = split_words(command, true);
        if prefixes.contains('@') && argv.len() > 1 {
            // `@/usr/sbin/php-fpm8.2 php-fpm …`: the second word is only argv[0].
            argv.remove(1);
        }
        Some(ExecStart {
            setting,
            prefixes: prefixes.to_string(),
            argv,
        })
    }

    /// Whether this is a PHP-FPM master: a `php*-fpm*.service` or a service whose
    /// `ExecStart=` runs php-fpm.
    pub fn is_fpm(&self) -> bool {
        let service = self.name.ends_with(".service");
        service && (is_fpm_name(&self.name) || self.exec_start().is_some_and(|e| e.runs_php_fpm()))
    }
}

impl SystemdModel {
    /// The units the exposure score and the SYD rules look at: PHP-FPM masters systemd can
    /// load and start (a main file, no fatal error, an `ExecStart=`), sorted by name. A unit
    /// masked with a link to /dev/null reads as an empty file and so is left out, as systemd
    /// leaves it stopped.
    pub fn fpm_units(&self) -> impl Iterator<Item = &Unit> {
        self.units.iter().filter(|u| {
            u.main.is_some() && u.refused.is_none() && u.exec_start().is_some() && u.is_fpm()
        })
    }
}

/// The `[Service]` header of `doc`, or its first line when there is none: where a finding
/// about the whole unit goes.
pub fn service_anchor(doc: &UnitDoc) -> TextRange {
    doc.sections
        .iter()
        .find(|s| s.name == "Service")
        .map_or(TextRange::new(0, 0), |s| s.header_range)
}

/// Where a line missing from `unit` goes: after the `[Service]` header of its last drop-in
/// that has one (a package upgrade keeps it), else of the main file.
pub fn service_insertion(model: &crate::model::Model, unit: &Unit) -> Option<(FileId, TextRange)> {
    unit.dropins
        .iter()
        .rev()
        .chain(unit.main.iter())
        .find_map(|file| {
            let doc = model.unit_doc(*file)?;
            let header = doc.sections.iter().find(|s| s.name == "Service")?;
            Some((*file, header.header_range))
        })
}

#[cfg(test)]
mod tests {
    use super::super::tests::build;

    #[test]
    fn which_units_are_fpm_and_which_files_they_serve() {
        let (_, model) = build(&[
            (
                "/lib/systemd/system/php8.2-fpm.service",
                "[Service]\nExecStart=/usr/sbin/php-fpm8.2 -R\n",
            ),
            (
                "/lib/systemd/system/site.service",
                "[Service]\nExecStart=@/opt/php82/sbin/php-fpm php-fpm --fpm-config=/etc/php/8.3/fpm/php-fpm.conf\n",
            ),
            (
                "/lib/systemd/system/php-fpm_exporter.service",
                "[Service]\nExecStart=/usr/bin/php-fpm_exporter server\n",
            ),
            (
                "/lib/systemd/system/nginx.service",
                "[Service]\nExecStart=/usr/sbin/nginx\n",
            ),
        ]);
        let fpm: Vec<&str> = model.fpm_units().map(|u| u.name.as_str()).collect();
        assert_eq!(fpm, ["php8.2-fpm.service", "site.service"]);
        let php82 = model.unit("php8.2-fpm.service").unwrap();
        assert!(php82.serves("/etc/php/8.2/fpm/pool.d/www.conf"));
        assert!(!php82.serves("/etc/php/8.3/fpm/pool.d/www.conf"));
        assert!(php82.serves("/etc/php-fpm.d/www.conf"));
        assert_eq!(php82.exec_start().unwrap().allow_root_flag(), Some("-R"));
        let site = model.unit("site.service").unwrap();
        assert_eq!(
            site.exec_start().unwrap().argv[0],
            "/opt/php82/sbin/php-fpm"
        );
        assert!(site.serves("/etc/php/8.3/fpm/pool.d/a.conf"));
        assert!(!site.serves("/etc/php/8.2/fpm/pool.d/a.conf"));
    }
}
