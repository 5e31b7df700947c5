//! Secrets in the files, found before a share link carries them along, and their redaction.
//!
//! A line is a secret when a key on it names one (password, token, ...) and a literal value
//! follows. Values that only pass a variable through (`$DB_PASSWORD`, `${X}`) are not secrets.

use super::EditorFile;

/// Words that make a key a secret's name, matched case-insensitively inside the key.
const SECRET_WORDS: &[&str] = &[
    "password",
    "passwd",
    "pass",
    "pwd",
    "secret",
    "token",
    "api_key",
    "apikey",
    "private_key",
    "access_key",
    "auth",
    "credential",
    "dsn",
    "salt",
];

pub const REDACTED: &str = "REDACTED";

/// One secret value in a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Secret {
    pub file: usize,
    /// 1-based.
    pub line: usize,
    pub key: String,
}

/// Where a secret's value sits on its line: byte range and the key it belongs to.
fn secret_on(line: &str) -> Option<(usize, usize, String)> {
    let trimmed = line.trim_start();
    if trimmed.starts_with([';', '#']) {
        return None;
    }
    let body = line.trim_end_matches(['\r', '\n']);
    // `key = value` (FPM, php.ini; systemd's `Environment=K=V` has the name after the first
    // `=`, so every `=` is tried in order) or `directive name value;` (nginx).
    let by_equals = body.match_indices('=').find_map(|(eq, _)| {
        let key = body.get(..eq)?;
        is_secret_name(key).then_some((key.trim().to_string(), eq + 1))
    });
    let (key, value_start) = match by_equals {
        Some(found) => found,
        None if !body.contains('=') => {
            let words = word_starts(body);
            let (_, name) = words.get(1)?;
            let (start, _) = words.get(2)?;
            if !is_secret_name(name) {
                return None;
            }
            ((*name).to_string(), *start)
        }
        None => return None,
    };
    let rest = body.get(value_start..)?;
    let lead = rest.len() - rest.trim_start().len();
    let value = rest.trim().trim_end_matches(';').trim_end();
    let unquoted = value.trim_matches(['"', '\'']);
    if unquoted.is_empty() || unquoted.starts_with('$') || unquoted == REDACTED {
        return None;
    }
    let quote = value.len() - value.trim_start_matches(['"', '\'']).len();
    let start = value_start + lead + quote;
    Some((start, start + unquoted.len(), key))
}

fn is_secret_name(key: &str) -> bool {
    let lower = key.to_ascii_lowercase();
    SECRET_WORDS.iter().any(|w| lower.contains(w))
}

fn word_starts(line: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in line.char_indices() {
        match (c.is_whitespace(), start) {
            (true, Some(s)) => {
                out.push((s, line.get(s..i).unwrap_or("")));
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push((s, line.get(s..).unwrap_or("")));
    }
    out
}

pub fn find(files: &[EditorFile]) -> Vec<Secret> {
    let mut out = Vec::new();
    for (file, f) in files.iter().enumerate() {
        for (i, line) in f.text.split('\n').enumerate() {
            if let Some((_, _, key)) = secret_on(line) {
                out.push(Secret {
                    file,
                    line: i + 1,
                    key,
                });
            }
        }
    }
    out
}

/// The text with every secret value replaced by [`REDACTED`]; everything else is kept.
pub fn redact(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        match secret_on(line) {
            Some((start, end, _)) => {
                out.push_str(line.get(..start).unwrap_or(""));
                out.push_str(REDACTED);
                out.push_str(line.get(end..).unwrap_or(""));
            }
            None => out.push_str(line),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use fpmaudit_engine::FileKind;

    #[test]
    fn redacts_values_in_every_format() {
        for (line, want) in [
            ("env[DB_PASSWORD] = hunter2", "env[DB_PASSWORD] = REDACTED"),
            (
                "env[API_TOKEN] = \"abc def\"",
                "env[API_TOKEN] = \"REDACTED\"",
            ),
            (
                "    fastcgi_param DB_PASS s3cret;",
                "    fastcgi_param DB_PASS REDACTED;",
            ),
            (
                "Environment=APP_SECRET=xyz",
                "Environment=APP_SECRET=REDACTED",
            ),
            ("env[DSN] = mysql://u:p@h/db?x=1", "env[DSN] = REDACTED"),
            (
                "mysqli.default_pw_password = x\r",
                "mysqli.default_pw_password = REDACTED\r",
            ),
        ] {
            assert_eq!(redact(line), want, "{line}");
        }
    }

    #[test]
    fn leaves_non_secrets_and_pass_through_values() {
        for line in [
            "env[DB_PASSWORD] = $DB_PASSWORD",
            "; password = commented",
            "# token value",
            "listen = /run/php/app.sock",
            "fastcgi_pass unix:/run/php/app.sock;",
            "env[PATH] = /usr/bin",
            "env[DB_PASSWORD] =",
            "auth_basic \"Restricted\";",
            "    fastcgi_param PATH_INFO $fastcgi_path_info;",
        ] {
            assert_eq!(redact(line), line, "{line}");
        }
    }

    #[test]
    fn finds_lines_and_keys() {
        let files = vec![EditorFile {
            path: "/etc/php/8.2/fpm/pool.d/a.conf".into(),
            kind: FileKind::FpmPool,
            text: "[a]\nuser = a\nenv[DB_PASSWORD] = hunter2\n".into(),
        }];
        assert_eq!(
            find(&files),
            vec![Secret {
                file: 0,
                line: 3,
                key: "env[DB_PASSWORD]".into()
            }]
        );
        let redacted: Vec<EditorFile> = files
            .iter()
            .map(|f| EditorFile {
                text: redact(&f.text),
                ..f.clone()
            })
            .collect();
        assert!(find(&redacted).is_empty());
    }
}
