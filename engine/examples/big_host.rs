//! Audits a generated shared host with 500 apps (one pool file and one nginx site each, plus
//! php-fpm.conf, nginx.conf, the FPM unit and a hardening drop-in: 1,004 files in all) and prints how long parsing, the model and the rules take:
//! `cargo run --release -p fpmaudit-engine --example big_host`.

use std::fmt::Write as _;
use std::time::Instant;

use fpmaudit_engine::{FileKind, SourceFile, SourceSet, audit};

fn main() {
    let mut sources = SourceSet::new();
    sources.add(SourceFile::new(
        "/etc/php/8.2/fpm/php-fpm.conf",
        "[global]\npid = /run/php/php8.2-fpm.pid\ninclude=/etc/php/8.2/fpm/pool.d/*.conf\n",
        FileKind::FpmGlobal,
    ));
    sources.add(SourceFile::new(
        "/etc/nginx/nginx.conf",
        "user www-data;\nevents {}\nhttp {\n    include /etc/nginx/sites-enabled/*;\n}\n",
        FileKind::Nginx,
    ));
    for i in 0..500 {
        let mut pool = String::new();
        let _ = write!(
            pool,
            "[app{i}]\nuser = app{i}\ngroup = app{i}\nlisten = /run/php/app{i}.sock\nlisten.owner = www-data\nlisten.group = www-data\nlisten.mode = 0660\npm = ondemand\npm.max_children = 5\nphp_admin_value[open_basedir] = /srv/app{i}/:/tmp/\nphp_admin_value[session.save_path] = /var/lib/php/sessions/app{i}\n"
        );
        sources.add(SourceFile::new(
            format!("/etc/php/8.2/fpm/pool.d/app{i}.conf"),
            pool,
            FileKind::FpmPool,
        ));
        let site = format!(
            "server {{\n    listen 80;\n    server_name app{i}.example;\n    root /srv/app{i}/public;\n    location / {{ try_files $uri /index.php$is_args$args; }}\n    location ~ \\.php$ {{\n        try_files $uri =404;\n        include fastcgi_params;\n        fastcgi_param SCRIPT_FILENAME $document_root$fastcgi_script_name;\n        fastcgi_pass unix:/run/php/app{i}.sock;\n    }}\n}}\n"
        );
        sources.add(SourceFile::new(
            format!("/etc/nginx/sites-enabled/app{i}"),
            site,
            FileKind::Nginx,
        ));
    }
    sources.add(SourceFile::new(
        "/lib/systemd/system/php8.2-fpm.service",
        "[Service]\nType=notify\nExecStart=/usr/sbin/php-fpm8.2 --nodaemonize --fpm-config /etc/php/8.2/fpm/php-fpm.conf\n",
        FileKind::SystemdUnit,
    ));
    sources.add(SourceFile::new(
        "/etc/systemd/system/php8.2-fpm.service.d/50-hardening.conf",
        "[Service]\nProtectSystem=strict\nReadWritePaths=/run/php /var/log\nPrivateTmp=yes\nCapabilityBoundingSet=CAP_SETUID CAP_SETGID CAP_KILL\nSystemCallFilter=@system-service\nSystemCallFilter=~@setuid\n",
        FileKind::SystemdDropin,
    ));
    let started = Instant::now();
    let report = audit(&sources);
    let took = started.elapsed();
    let mut out = std::io::stdout().lock();
    let _ = std::io::Write::write_fmt(
        &mut out,
        format_args!(
            "{} files, {} findings, audited in {took:?}\n",
            sources.len(),
            report.findings.len()
        ),
    );
}
