//! Parser throughput on the Debian corpus: `cargo run --release -p fpmaudit-engine --example
//! throughput`. Each parser reads the corpus files of its format, repeated to about 20 MB.

use std::path::Path;
use std::time::Instant;

use fpmaudit_engine::syntax::{ini, nginx, systemd};

fn read(rel: &str) -> String {
    let base =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus/debian-bookworm-php8.2");
    std::fs::read_to_string(base.join(rel)).unwrap_or_default()
}

fn measure(name: &str, text: &str, parse: impl Fn(&str) -> usize) {
    if text.is_empty() {
        return;
    }
    let copies = (20 * 1024 * 1024 / text.len()).max(1);
    let big = text.repeat(copies);
    let started = Instant::now();
    let tokens = parse(&big);
    let secs = started.elapsed().as_secs_f64();
    #[expect(clippy::cast_precision_loss, reason = "a size in MB for display")]
    let mb = big.len() as f64 / 1_000_000.0;
    let mut out = std::io::stdout().lock();
    let _ = std::io::Write::write_fmt(
        &mut out,
        format_args!(
            "{name:<10} {mb:7.1} MB in {secs:6.3} s = {:7.1} MB/s ({tokens} tokens)\n",
            mb / secs
        ),
    );
}

fn main() {
    let ini_text = read("etc/php/8.2/fpm/php.ini");
    let pool = read("etc/php/8.2/fpm/pool.d/www.conf") + &read("etc/php/8.2/fpm/php-fpm.conf");
    let nginx_text = read("etc/nginx/nginx.conf")
        + &read("etc/nginx/sites-available/default")
        + &read("etc/nginx/fastcgi_params");
    let unit = read("lib/systemd/system/php8.2-fpm.service");
    measure("php.ini", &ini_text, |t| {
        ini::parse(t, ini::IniDialect::PhpIni).tokens.len()
    });
    measure("fpm", &pool, |t| {
        ini::parse(t, ini::IniDialect::Fpm).tokens.len()
    });
    measure("nginx", &nginx_text, |t| nginx::parse(t).tokens.len());
    measure("systemd", &unit, |t| systemd::parse(t).tokens.len());
}
