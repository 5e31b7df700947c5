//! Splits pasted dumps into the files they contain: `nginx -T`, `systemctl cat UNIT` and
//! `tail -n +1 FILE...`. Each file keeps its exact text, so findings point at the original
//! files' own lines.

/// Which tool printed a dump.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DumpKind {
    /// `# configuration file /etc/nginx/nginx.conf:` before each file; nginx prints one extra
    /// newline after every file.
    NginxT,
    /// `# /lib/systemd/system/x.service` before each file, an empty line between files.
    SystemctlCat,
    /// `==> path <==` before each file, an empty line between files.
    Tail,
}

/// One file found in a dump.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DumpedFile {
    pub path: String,
    pub text: String,
}

fn nginx_header(line: &str) -> Option<&str> {
    line.strip_prefix("# configuration file ")?
        .strip_suffix(':')
}

const UNIT_SUFFIXES: [&str; 8] = [
    ".service", ".socket", ".target", ".timer", ".mount", ".slice", ".path", ".conf",
];

fn systemctl_header(line: &str) -> Option<&str> {
    let path = line.strip_prefix("# /")?;
    let suffix = path.rfind('.').and_then(|i| path.get(i..)).unwrap_or("");
    let is_unit = !path.contains(' ')
        && UNIT_SUFFIXES.contains(&suffix)
        && (path.contains("systemd/") || suffix != ".conf");
    is_unit.then(|| line.get(2..).unwrap_or(""))
}

fn tail_header(line: &str) -> Option<&str> {
    line.strip_prefix("==> ")?.strip_suffix(" <==")
}

fn header(kind: DumpKind, line: &str) -> Option<&str> {
    match kind {
        DumpKind::NginxT => nginx_header(line),
        DumpKind::SystemctlCat => systemctl_header(line),
        DumpKind::Tail => tail_header(line),
    }
}

/// The kind of dump `text` is, judged by its first meaningful line.
pub fn detect(text: &str) -> Option<DumpKind> {
    let first = text
        .lines()
        .map(|l| l.trim_end_matches('\r'))
        .find(|l| !l.trim().is_empty() && !l.starts_with("nginx: "))?;
    [DumpKind::NginxT, DumpKind::SystemctlCat, DumpKind::Tail]
        .into_iter()
        .find(|&kind| header(kind, first).is_some())
}

/// Splits a dump into files, or `None` when `text` is not a dump.
pub fn split(text: &str) -> Option<Vec<DumpedFile>> {
    let kind = detect(text)?;
    let mut files: Vec<DumpedFile> = Vec::new();
    let mut current: Option<(String, usize)> = None;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let bare = line.trim_end_matches('\n').trim_end_matches('\r');
        if let Some(path) = header(kind, bare) {
            if let Some((path, start)) = current.take() {
                files.push(DumpedFile {
                    path,
                    text: separator_trimmed(text.get(start..offset).unwrap_or("")),
                });
            }
            current = Some((path.to_string(), offset + line.len()));
        }
        offset += line.len();
    }
    if let Some((path, start)) = current {
        let rest = text.get(start..).unwrap_or("");
        // nginx -T ends every file, the last one too, with a newline of its own.
        let rest = match kind {
            DumpKind::NginxT => separator_trimmed(rest),
            DumpKind::SystemctlCat | DumpKind::Tail => rest.to_string(),
        };
        files.push(DumpedFile { path, text: rest });
    }
    Some(files)
}

/// Removes the one newline the dumping tool put between files.
fn separator_trimmed(chunk: &str) -> String {
    chunk
        .strip_suffix("\r\n")
        .or_else(|| chunk.strip_suffix('\n'))
        .unwrap_or(chunk)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(text: &str) -> Vec<(String, String)> {
        split(text)
            .unwrap()
            .into_iter()
            .map(|f| (f.path, f.text))
            .collect()
    }

    #[test]
    fn nginx_t_as_nginx_prints_it() {
        // Real `nginx -T` output: every file is followed by one newline nginx adds.
        let dump = "nginx: the configuration file /etc/nginx/nginx.conf syntax is ok\n\
                    # configuration file /etc/nginx/nginx.conf:\nevents {}\nhttp {\n}\n\
                    # configuration file /etc/nginx/sites/a.conf:\nserver {\n}\n\n\
                    # configuration file /etc/nginx/sites/b.conf:\nserver { listen 8082; }\n";
        assert_eq!(
            files(dump),
            vec![
                (
                    "/etc/nginx/nginx.conf".into(),
                    "events {}\nhttp {\n}".into()
                ),
                ("/etc/nginx/sites/a.conf".into(), "server {\n}\n".into()),
                (
                    "/etc/nginx/sites/b.conf".into(),
                    "server { listen 8082; }".into()
                ),
            ]
        );
    }

    #[test]
    fn systemctl_cat_with_drop_ins() {
        let dump = "# /lib/systemd/system/php8.2-fpm.service\n[Unit]\nDescription=x\n\n\
                    # /etc/systemd/system/php8.2-fpm.service.d/override.conf\n[Service]\nProtectSystem=full\n";
        assert_eq!(
            files(dump),
            vec![
                (
                    "/lib/systemd/system/php8.2-fpm.service".into(),
                    "[Unit]\nDescription=x\n".into()
                ),
                (
                    "/etc/systemd/system/php8.2-fpm.service.d/override.conf".into(),
                    "[Service]\nProtectSystem=full\n".into()
                ),
            ]
        );
        // A comment inside a unit is not a header.
        assert!(detect("# This is a comment\n[Unit]\n").is_none());
    }

    #[test]
    fn tail_n_plus_one() {
        let dump = "==> /etc/php/8.2/fpm/pool.d/a.conf <==\n[a]\n\n==> /etc/php/8.2/fpm/pool.d/b.conf <==\n[b]";
        assert_eq!(
            files(dump),
            vec![
                ("/etc/php/8.2/fpm/pool.d/a.conf".into(), "[a]\n".into()),
                ("/etc/php/8.2/fpm/pool.d/b.conf".into(), "[b]".into()),
            ]
        );
    }

    #[test]
    fn ordinary_files_are_not_dumps() {
        assert!(split("[www]\nlisten = 9000\n").is_none());
        assert!(split("server {\n}\n").is_none());
        assert!(split("").is_none());
    }
}
