//! The example hosts the app offers (the gallery, workshops, embeds); the first opens by
//! default. Each has a two-line story: what it is, and what to look for.

use fpmaudit_engine::FileKind;

/// One file of an example host.
#[derive(Debug, Clone, Copy)]
pub struct ExampleFile {
    pub path: &'static str,
    pub kind: FileKind,
    pub text: &'static str,
}

#[derive(Debug, Clone, Copy)]
pub struct Example {
    pub id: &'static str,
    pub title: &'static str,
    /// What the host is.
    pub story: &'static str,
    /// What to look for (the workshop's goal).
    pub goal: &'static str,
    pub files: &'static [ExampleFile],
}

/// `file!(kind, "host path", "file under static/examples/")`
macro_rules! file {
    ($kind:ident, $path:literal, $source:literal) => {
        ExampleFile {
            path: $path,
            kind: FileKind::$kind,
            text: include_str!(concat!("../../static/examples/", $source)),
        }
    };
}

/// Debian's stock `fastcgi_params`, shared by the examples that include it (one copy in the
/// bundle).
const FASTCGI_PARAMS: ExampleFile = ExampleFile {
    path: "/etc/nginx/fastcgi_params",
    kind: FileKind::Nginx,
    text: include_str!("../../tests/scenarios/hardened/root/etc/nginx/fastcgi_params"),
};

pub const SHARED_HOSTING: Example = Example {
    id: "shared-hosting",
    title: "Shared-hosting box",
    story: "A shop and a blog on one server, served by one PHP-FPM pool that runs as the web server's own user.",
    goal: "Find every way code running in the blog reaches the shop, then split the pool.",
    files: &[
        file!(Nginx, "/etc/nginx/nginx.conf", "shared-hosting/nginx.conf"),
        file!(
            Nginx,
            "/etc/nginx/sites-enabled/shop.conf",
            "shared-hosting/shop.conf"
        ),
        file!(
            Nginx,
            "/etc/nginx/sites-enabled/blog.conf",
            "shared-hosting/blog.conf"
        ),
        file!(
            FpmPool,
            "/etc/php/8.2/fpm/pool.d/shared.conf",
            "shared-hosting/shared.conf"
        ),
        file!(PhpIni, "/etc/php/8.2/fpm/php.ini", "shared-hosting/php.ini"),
    ],
};

pub const DOCKER: Example = Example {
    id: "docker",
    title: "Official Docker image",
    story: "php:8.2-fpm as it ships, behind an nginx container: FPM listens on port 9000 of every interface and passes the whole container environment to PHP.",
    goal: "See what a compose file's published port or a shared network would expose, and close it.",
    files: &[
        file!(
            FpmGlobal,
            "/usr/local/etc/php-fpm.conf",
            "docker/php-fpm.conf"
        ),
        file!(
            FpmPool,
            "/usr/local/etc/php-fpm.d/www.conf",
            "docker/www.conf"
        ),
        file!(
            FpmPool,
            "/usr/local/etc/php-fpm.d/docker.conf",
            "docker/docker.conf"
        ),
        file!(
            FpmPool,
            "/usr/local/etc/php-fpm.d/zz-docker.conf",
            "docker/zz-docker.conf"
        ),
        file!(Nginx, "/etc/nginx/nginx.conf", "docker/nginx.conf"),
        file!(
            Nginx,
            "/etc/nginx/conf.d/default.conf",
            "docker/default.conf"
        ),
        FASTCGI_PARAMS,
    ],
};

pub const CVE_2019_11043: Example = Example {
    id: "cve-2019-11043",
    title: "CVE-2019-11043-shaped site",
    story: "A shop on PHP 7.3 with the path-info handler copied from a tutorial: no file check before FastCGI, PATH_INFO from a regex that a newline can empty.",
    goal: "Make nginx check the script exists and stop unmatched paths from reaching FPM.",
    files: &[
        file!(Nginx, "/etc/nginx/nginx.conf", "cve-2019-11043/nginx.conf"),
        file!(
            Nginx,
            "/etc/nginx/sites-enabled/shop",
            "cve-2019-11043/shop"
        ),
        FASTCGI_PARAMS,
        file!(
            FpmPool,
            "/etc/php/7.3/fpm/pool.d/www.conf",
            "cve-2019-11043/www.conf"
        ),
        file!(PhpIni, "/etc/php/7.3/fpm/php.ini", "cve-2019-11043/php.ini"),
    ],
};

pub const DEBIAN: Example = Example {
    id: "debian",
    title: "Debian defaults",
    story: "php8.2-fpm and nginx exactly as Debian 12 installs them: one www pool as www-data, a stock php.ini (the long files' comments are left out here to keep the page light) and a systemd unit without any sandbox.",
    goal: "Learn what the packages leave to you: pool identity, the unit's exposure, php.ini.",
    files: &[
        file!(
            FpmGlobal,
            "/etc/php/8.2/fpm/php-fpm.conf",
            "debian/php-fpm.conf"
        ),
        file!(
            FpmPool,
            "/etc/php/8.2/fpm/pool.d/www.conf",
            "debian/www.conf"
        ),
        file!(PhpIni, "/etc/php/8.2/fpm/php.ini", "debian/php.ini"),
        file!(Nginx, "/etc/nginx/nginx.conf", "debian/nginx.conf"),
        file!(Nginx, "/etc/nginx/sites-enabled/default", "debian/default"),
        file!(
            Nginx,
            "/etc/nginx/snippets/fastcgi-php.conf",
            "debian/fastcgi-php.conf"
        ),
        file!(Nginx, "/etc/nginx/fastcgi.conf", "debian/fastcgi.conf"),
        file!(
            SystemdUnit,
            "/lib/systemd/system/php8.2-fpm.service",
            "debian/php8.2-fpm.service"
        ),
    ],
};

/// The hardened reference is the precision fixture of the test suite, so the two never drift.
macro_rules! hardened {
    ($kind:ident, $path:literal) => {
        ExampleFile {
            path: $path,
            kind: FileKind::$kind,
            text: include_str!(concat!("../../tests/scenarios/hardened/root", $path)),
        }
    };
}

pub const HARDENED: Example = Example {
    id: "hardened",
    title: "Hardened reference",
    story: "Two sites, each with its own pool, unix user, socket, session and temp directories, behind nginx rules that never run uploads, and a sandboxed FPM unit.",
    goal: "Nothing high or critical is left: compare it with the others, or break it on purpose.",
    files: &[
        hardened!(Nginx, "/etc/nginx/nginx.conf"),
        hardened!(Nginx, "/etc/nginx/sites-enabled/shop"),
        hardened!(Nginx, "/etc/nginx/sites-enabled/blog"),
        FASTCGI_PARAMS,
        hardened!(FpmGlobal, "/etc/php/8.2/fpm/php-fpm.conf"),
        hardened!(FpmPool, "/etc/php/8.2/fpm/pool.d/shop.conf"),
        hardened!(FpmPool, "/etc/php/8.2/fpm/pool.d/blog.conf"),
        hardened!(PhpIni, "/etc/php/8.2/fpm/php.ini"),
        hardened!(SystemdUnit, "/lib/systemd/system/php8.2-fpm.service"),
        hardened!(
            SystemdDropin,
            "/etc/systemd/system/php8.2-fpm.service.d/50-hardening.conf"
        ),
    ],
};

pub const ALL: &[Example] = &[SHARED_HOSTING, DOCKER, CVE_2019_11043, DEBIAN, HARDENED];

pub fn find(id: &str) -> Option<&'static Example> {
    ALL.iter().find(|e| e.id == id)
}
