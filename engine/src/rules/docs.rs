//! Rule docs: Markdown with fixed headings, read into parts for the app and `explain`.

use crate::source::FileKind;

/// What an example in the docs is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExampleRole {
    /// The rule must report this example.
    Bad,
    /// The rule must stay silent on this example.
    Good,
    /// Added to every bad and good example of the rule (e.g. the nginx.conf naming the user).
    Context,
}

/// A fenced example: ```` ```fpm-pool bad /etc/php/8.2/fpm/pool.d/www.conf ````.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Example {
    pub kind: FileKind,
    pub role: ExampleRole,
    pub path: String,
    pub code: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RuleDocs {
    /// The whole docs with the doc-comment indentation removed.
    pub markdown: String,
    pub what: String,
    pub why: String,
    pub fix: String,
    pub references: Vec<String>,
    pub examples: Vec<Example>,
}

fn default_path(kind: FileKind) -> &'static str {
    match kind {
        FileKind::FpmGlobal => "/etc/php/8.2/fpm/php-fpm.conf",
        FileKind::FpmPool => "/etc/php/8.2/fpm/pool.d/www.conf",
        FileKind::PhpIni => "/etc/php/8.2/fpm/php.ini",
        FileKind::Nginx => "/etc/nginx/sites-enabled/default",
        FileKind::SystemdUnit => "/lib/systemd/system/php8.2-fpm.service",
        FileKind::SystemdDropin => "/etc/systemd/system/php8.2-fpm.service.d/override.conf",
        FileKind::FsSnapshot => "/fpmaudit/fs-snapshot.txt",
        FileKind::Passwd => "/etc/passwd",
        FileKind::Group => "/etc/group",
        FileKind::Unknown => "/example",
    }
}

impl RuleDocs {
    pub fn parse(raw: &str) -> Self {
        let markdown: String = raw
            .lines()
            .map(|l| l.strip_prefix(' ').unwrap_or(l))
            .collect::<Vec<_>>()
            .join("\n");
        let mut docs = Self {
            markdown: markdown.trim().to_string(),
            ..Self::default()
        };
        let mut heading = "";
        // An open code fence: its parsed info string (None for fences that are not examples)
        // and the code read so far.
        let mut fence: Option<(Option<FenceInfo>, String)> = None;
        for line in markdown.lines() {
            if let Some((info, mut code)) = fence.take() {
                if line.trim_start().starts_with("```") {
                    if let Some((kind, role, path)) = info {
                        docs.examples.push(Example {
                            kind,
                            role,
                            path,
                            code,
                        });
                    }
                } else {
                    code.push_str(line);
                    code.push('\n');
                    fence = Some((info, code));
                }
                continue;
            }
            if let Some(info) = line.trim_start().strip_prefix("```") {
                fence = Some((parse_fence(info), String::new()));
                continue;
            }
            if let Some(h) = line.strip_prefix("## ") {
                heading = h.trim();
                continue;
            }
            let target = match heading {
                "What it does" => &mut docs.what,
                "Why is this bad?" => &mut docs.why,
                "How to fix" => &mut docs.fix,
                "References" => {
                    if let Some(item) = line.trim().strip_prefix("- ") {
                        docs.references.push(item.to_string());
                    }
                    continue;
                }
                _ => continue,
            };
            if !target.is_empty() || !line.trim().is_empty() {
                target.push_str(line);
                target.push('\n');
            }
        }
        for part in [&mut docs.what, &mut docs.why, &mut docs.fix] {
            *part = part.trim().to_string();
        }
        docs
    }
}

type FenceInfo = (FileKind, ExampleRole, String);

fn parse_fence(info: &str) -> Option<FenceInfo> {
    let mut words = info.split_whitespace();
    let kind = FileKind::parse(words.next()?)?;
    let role = match words.next()? {
        "bad" => ExampleRole::Bad,
        "good" => ExampleRole::Good,
        "context" => ExampleRole::Context,
        _ => return None,
    };
    let path = words
        .next()
        .unwrap_or_else(|| default_path(kind))
        .to_string();
    Some((kind, role, path))
}
