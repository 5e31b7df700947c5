//! The user and group databases as `getent passwd` / `getent group` print them (and as
//! `/etc/passwd` and `/etc/group` hold them): `name:x:uid:gid:gecos:home:shell` and
//! `name:x:gid:member,member`. `#` lines and blank lines are trivia; NIS compat lines
//! (`+`, `-`) are kept as trivia because they name no account by themselves.

use super::SyntaxError;
use super::lines::split_lines;
use crate::text::TextRange;

/// Which database a file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Database {
    Passwd,
    Group,
}

/// One account (`passwd`) or group (`group`) line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub name: String,
    pub name_range: TextRange,
    /// uid for passwd, gid for group.
    pub id: u32,
    /// The primary gid (passwd only; 0 for groups).
    pub gid: u32,
    /// Supplementary members (group only).
    pub members: Vec<String>,
    /// Home directory and shell (passwd only), shown in messages.
    pub home: String,
    pub shell: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordLine {
    /// The whole line with its terminator.
    pub range: TextRange,
    /// The line without its terminator.
    pub content: TextRange,
    pub record: Option<Record>,
}

/// A parsed passwd or group file: the lines cover the text exactly, in order.
#[derive(Debug, Clone)]
pub struct AccountsDoc {
    pub database: Database,
    pub lines: Vec<RecordLine>,
    pub errors: Vec<SyntaxError>,
}

impl AccountsDoc {
    /// Reassembles the input from the lines (the lossless property).
    pub fn print(&self, text: &str) -> String {
        self.lines.iter().map(|l| l.range.slice(text)).collect()
    }

    /// Each record with its line (terminator excluded).
    pub fn records(&self) -> impl Iterator<Item = (TextRange, &Record)> {
        self.lines
            .iter()
            .filter_map(|l| l.record.as_ref().map(|r| (l.content, r)))
    }
}

/// Reads a passwd or group file; never fails.
pub fn parse(text: &str, database: Database) -> AccountsDoc {
    let mut doc = AccountsDoc {
        database,
        lines: Vec::new(),
        errors: Vec::new(),
    };
    for line in split_lines(text) {
        let compat = line.text.starts_with(['+', '-']);
        let record = if line.is_trivia('#') || compat {
            None
        } else {
            match record(line.text, line.content.start as usize, database) {
                Ok(r) => Some(r),
                Err(message) => {
                    doc.errors.push(SyntaxError::new(line.content, message));
                    None
                }
            }
        };
        doc.lines.push(RecordLine {
            range: line.range,
            content: line.content,
            record,
        });
    }
    doc
}

fn record(text: &str, start: usize, database: Database) -> Result<Record, String> {
    let fields: Vec<&str> = text.split(':').collect();
    let (want, shape) = match database {
        Database::Passwd => (7, "name:password:uid:gid:gecos:home:shell"),
        Database::Group => (4, "name:password:gid:members"),
    };
    if fields.len() != want {
        return Err(format!(
            "expected {want} fields `{shape}`, found {}",
            fields.len()
        ));
    }
    let field = |i: usize| fields.get(i).copied().unwrap_or("");
    let name = field(0);
    if name.is_empty() {
        return Err("empty name".into());
    }
    let number = |i: usize, what: &str| {
        field(i)
            .parse::<u32>()
            .map_err(|_| format!("{what} `{}` is not a number", field(i)))
    };
    let id = number(
        2,
        if database == Database::Passwd {
            "uid"
        } else {
            "gid"
        },
    )?;
    let mut record = Record {
        name: name.to_string(),
        name_range: TextRange::from_usize(start, start + name.len()),
        id,
        gid: 0,
        members: Vec::new(),
        home: String::new(),
        shell: String::new(),
    };
    match database {
        Database::Passwd => {
            record.gid = number(3, "gid")?;
            record.home = field(5).to_string();
            record.shell = field(6).to_string();
        }
        Database::Group => {
            record.members = field(3)
                .split(',')
                .map(str::trim)
                .filter(|m| !m.is_empty())
                .map(str::to_string)
                .collect();
        }
    }
    Ok(record)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_getent_output_and_round_trips() {
        let text = "root:x:0:0:root:/root:/bin/bash\r\n# note\n\nshop:x:1001:1001::/srv/shop:/usr/sbin/nologin\nbroken:x\n+::::::";
        let doc = parse(text, Database::Passwd);
        assert_eq!(doc.print(text), text);
        let names: Vec<_> = doc
            .records()
            .map(|(_, r)| (r.name.as_str(), r.id, r.gid))
            .collect();
        assert_eq!(names, [("root", 0, 0), ("shop", 1001, 1001)]);
        assert_eq!(doc.errors.len(), 1);
        let groups = "sudo:x:27:alice,shop\ndocker:x:999:\n";
        let doc = parse(groups, Database::Group);
        let sudo = doc.records().next().map(|(_, r)| r.members.clone());
        assert_eq!(sudo, Some(vec!["alice".to_string(), "shop".to_string()]));
        assert!(doc.errors.is_empty());
    }
}
