//! What the cross-file rules say when the file that would settle their question is absent:
//! a lower severity and the file's name when there is evidence, silence when there is none.

use crate::diagnostic::{Finding, Severity};
use crate::source::{FileKind, SourceFile, SourceSet};

const POOL: &str = "/etc/php/8.2/fpm/pool.d/www.conf";

fn findings(files: &[(&str, &str, FileKind)], rule: &str) -> Vec<Finding> {
    let mut sources = SourceSet::new();
    for (path, text, kind) in files {
        sources.add(SourceFile::new(*path, *text, *kind));
    }
    crate::audit(&sources)
        .findings
        .into_iter()
        .filter(|f| f.rule == rule)
        .collect()
}

#[test]
fn fpm_120_without_nginx_names_the_site_files_or_stays_silent() {
    let pool = "[app]\nuser = app\nlisten = /run/php/app.sock\naccess.log = /var/www/app/public/logs/access.log\nslowlog = /var/log/php-fpm/app.slow.log\n";
    let found = findings(&[(POOL, pool, FileKind::FpmPool)], "FPM-120");
    assert_eq!(found.len(), 1, "{found:?}");
    let f = found
        .first()
        .map(|f| (f.severity, f.message.contains("site files were not given")));
    assert_eq!(f, Some((Severity::Medium, true)));
}

#[test]
fn fpm_306_without_nginx_conf_says_so_and_spares_the_usual_web_accounts() {
    let pools = "[shop]\nuser = shop\nlisten = /run/php/shop.sock\nlisten.owner = www-data\nlisten.group = blog\n[blog]\nuser = blog\nlisten = /run/php/blog.sock\nlisten.owner = www-data\nlisten.group = www-data\n[legacy]\nuser = www-data\nlisten = /run/php/legacy.sock\n";
    let found = findings(&[(POOL, pools, FileKind::FpmPool)], "FPM-306");
    assert_eq!(found.len(), 1, "{found:?}");
    let f = found.first().map(|f| {
        (
            f.severity,
            f.message.contains("nginx.conf was not given"),
            f.fix.is_some(),
        )
    });
    // No fix: without nginx.conf the web server's group is not known.
    assert_eq!(f, Some((Severity::High, true, false)));
}
