//! The paths a PHP-FPM master and its workers write, with the directive that names each:
//! php-fpm.conf (`pid`, `error_log`), the pools (`listen` socket, `slowlog`, `access.log`)
//! and the PHP settings each pool runs with (`session.save_path`, `upload_tmp_dir`,
//! `sys_temp_dir`, `error_log`, `opcache.file_cache`).

use crate::model::Model;
use crate::model::fpm::Section;
use crate::model::fpm_values::text;
use crate::model::listen::Listen;
use crate::model::php_stack::effective;
use crate::model::php_values::origin_span;
use crate::source::FileId;
use crate::text::TextRange;

/// One path that must be writable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WritePath {
    /// The path as configured (a file or a directory).
    pub path: String,
    /// The directory to make writable for it (the parent of a file).
    pub dir: String,
    /// `pool [www] listen`, `session.save_path`, …
    pub what: String,
    pub file: FileId,
    pub range: TextRange,
}

fn parent(path: &str) -> String {
    match path.rsplit_once('/') {
        Some(("", _)) | None => "/".to_string(),
        Some((dir, _)) => dir.to_string(),
    }
}

/// Every write path of the FPM configuration and php.ini given, without duplicates.
pub fn write_paths(model: &Model) -> Vec<WritePath> {
    let mut out: Vec<WritePath> = Vec::new();
    let mut push = |path: &str, is_dir: bool, what: String, file: FileId, range: TextRange| {
        if !path.starts_with('/') {
            return;
        }
        let path = path.to_string();
        let dir = if is_dir { path.clone() } else { parent(&path) };
        if !out
            .iter()
            .any(|w| w.path == path && w.file == file && w.range == range)
        {
            out.push(WritePath {
                path,
                dir,
                what,
                file,
                range,
            });
        }
    };
    let global = &model.fpm.global;
    for key in ["pid", "error_log"] {
        if let Some(s) = text(global, key) {
            push(
                &s.value,
                false,
                format!("[global] {key}"),
                s.origin.file,
                s.span(),
            );
        }
    }
    for pool in &model.fpm.pools {
        if let Some(s) = text(pool, "listen")
            && let Listen::Unix(path) = Listen::parse(&s.value)
        {
            let what = format!("the socket of pool [{}]", pool.name);
            push(&path, false, what, s.origin.file, s.span());
        }
        for key in ["slowlog", "access.log"] {
            if let Some(s) = text(pool, key) {
                let what = format!("pool [{}] {key}", pool.name);
                push(&s.value, false, what, s.origin.file, s.span());
            }
        }
    }
    let pools: Vec<Option<&Section>> = if model.fpm.pools.is_empty() {
        vec![None]
    } else {
        model.fpm.pools.iter().map(Some).collect()
    };
    for pool in pools {
        for (key, is_dir) in [
            ("session.save_path", true),
            ("upload_tmp_dir", true),
            ("sys_temp_dir", true),
            ("error_log", false),
            ("opcache.file_cache", true),
        ] {
            let Some(setting) = effective(&model.php_ini, pool, key) else {
                continue;
            };
            let Some(origin) = setting.origin else {
                continue;
            };
            // `N;MODE;/path`: the directory is the last field.
            let value = setting.value.rsplit(';').next().unwrap_or("").trim();
            let what = match pool {
                Some(p) => format!("{key} of pool [{}]", p.name),
                None => key.to_string(),
            };
            push(value, is_dir, what, origin.file, origin_span(origin));
        }
    }
    out
}
