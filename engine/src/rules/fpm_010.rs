use super::{Context, Rule, declare_rule};
use crate::diagnostic::{Edit, Finding, Fix, Safety, Severity};
use crate::model::fpm_values::{is_quantity, quantity_fallback, quantity_fix};

/// PHP settings read as a size in bytes with an optional `K`, `M` or `G`.
const SIZE_KEYS: [&str; 5] = [
    "memory_limit",
    "post_max_size",
    "upload_max_filesize",
    "realpath_cache_size",
    "opcache.jit_buffer_size",
];

declare_rule! {
    /// ## What it does
    /// Reports size settings in a pool (`memory_limit`, `post_max_size`,
    /// `upload_max_filesize`, `realpath_cache_size`, `opcache.jit_buffer_size`) written with
    /// a unit PHP does not know: `512MB`, `2 GB`, `64kb`, `1.5G`. PHP's only units are `K`,
    /// `M` and `G` (any case, blanks allowed before them).
    ///
    /// ## Why is this bad?
    /// FPM accepts the line and starts; PHP then reads only the leading number. Since 8.2 it
    /// logs a warning and takes `512MB` as 512 **bytes**: `memory_limit` refuses such a low
    /// value and keeps php.ini's, while `post_max_size = 64MB` rejects every form post bigger
    /// than 64 bytes. Older versions read some of these as 0, and `post_max_size = 0` means
    /// no limit at all.
    ///
    /// ## How to fix
    /// Drop the `B`: `512M`, `2G`, `64K`.
    ///
    /// ## Example
    /// ```fpm-pool bad
    /// [media]
    /// listen = /run/php/media.sock
    /// php_admin_value[post_max_size] = 64MB
    /// ```
    /// ```fpm-pool good
    /// [media]
    /// listen = /run/php/media.sock
    /// php_admin_value[post_max_size] = 64M
    /// php_admin_value[memory_limit] = 256 M
    /// ```
    ///
    /// ## References
    /// - php-src#11000 (`10MB` read as 0) and php-src#21299 (`128MB` not applied)
    /// - php-src `Zend/zend_operators.c`, `zend_ini_parse_quantity`
    /// - PHP manual, "Using PHP: What is a shorthand byte value?"
    InvalidSizeSuffix {
        id: "FPM-010",
        title: "Invalid size suffix in a php value",
        severity: Medium,
        fixable: true,
    }
}

impl Rule for InvalidSizeSuffix {
    fn meta(&self) -> &'static super::RuleMeta {
        Self::meta_static()
    }

    fn check(&self, cx: Context<'_>, out: &mut Vec<Finding>) {
        for pool in &cx.model.fpm.pools {
            for directive in ["php_value", "php_admin_value"] {
                for key in SIZE_KEYS {
                    let Some(setting) = pool.array(directive, key) else {
                        continue;
                    };
                    if is_quantity(&setting.value) {
                        continue;
                    }
                    let (bytes, read) = quantity_fallback(&setting.value);
                    let effect = match key {
                        "memory_limit" if bytes < 2 << 20 => {
                            "PHP refuses a limit that low and keeps the memory_limit of php.ini"
                                .to_string()
                        }
                        "memory_limit" => format!("scripts are limited to {read}"),
                        "post_max_size" => {
                            format!("every POST body larger than {read} is rejected")
                        }
                        "upload_max_filesize" => {
                            format!("every upload larger than {read} is rejected")
                        }
                        _ => format!("PHP runs with {read}"),
                    };
                    let message = format!(
                        "pool [{}]: `{key} = {}` is not a size PHP understands (only K, M and G): PHP 8.2+ reads it as {read}, so {effect}",
                        pool.name, setting.value
                    );
                    let mut finding =
                        Self::meta_static().finding(setting.origin.file, setting.span(), message);
                    if key == "post_max_size" {
                        // Older PHP reads it as 0, which lifts the limit; 8.2 breaks every form.
                        finding = finding.with_severity(Severity::High);
                    }
                    if let Some(fixed) = quantity_fix(&setting.value) {
                        finding = finding.with_fix(Fix {
                            title: format!("write `{fixed}`"),
                            // `512MB` can only mean 512M.
                            safety: Safety::Safe,
                            edits: vec![Edit {
                                file: setting.origin.file,
                                range: setting.origin.value,
                                replacement: fixed,
                            }],
                        });
                    }
                    out.push(finding);
                }
            }
        }
    }
}
