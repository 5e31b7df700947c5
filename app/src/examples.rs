//! The example hosts the app offers; the first one opens by default.

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
    pub story: &'static str,
    pub files: &'static [ExampleFile],
}

pub const SHARED_HOSTING: Example = Example {
    id: "shared-hosting",
    title: "Shared-hosting box",
    story: "A shop and a blog on one server, served by one PHP-FPM pool that runs as the web server's own user.",
    files: &[
        ExampleFile {
            path: "/etc/nginx/nginx.conf",
            kind: FileKind::Nginx,
            text: include_str!("../../static/examples/shared-hosting/nginx.conf"),
        },
        ExampleFile {
            path: "/etc/nginx/sites-enabled/shop.conf",
            kind: FileKind::Nginx,
            text: include_str!("../../static/examples/shared-hosting/shop.conf"),
        },
        ExampleFile {
            path: "/etc/nginx/sites-enabled/blog.conf",
            kind: FileKind::Nginx,
            text: include_str!("../../static/examples/shared-hosting/blog.conf"),
        },
        ExampleFile {
            path: "/etc/php/8.2/fpm/pool.d/shared.conf",
            kind: FileKind::FpmPool,
            text: include_str!("../../static/examples/shared-hosting/shared.conf"),
        },
        ExampleFile {
            path: "/etc/php/8.2/fpm/php.ini",
            kind: FileKind::PhpIni,
            text: include_str!("../../static/examples/shared-hosting/php.ini"),
        },
    ],
};

pub const ALL: &[Example] = &[SHARED_HOSTING];
