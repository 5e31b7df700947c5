//! Test accounts: created with `groupadd`/`useradd` under unique names and removed on drop,
//! also when the test fails.

use std::process::Command;

/// Whether the tests may create accounts; outside CI a non-root run skips with a message.
pub(crate) fn may_create_accounts() -> bool {
    // libc is not a dependency; `id -u` answers the question.
    let uid = Command::new("id").arg("-u").output().ok();
    let root = uid.is_some_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0");
    if !root {
        assert!(
            std::env::var_os("CI").is_none(),
            "the live-mode tests must run as root in CI (they create users and groups)"
        );
        println!("skipped: live-mode tests need root to create users, groups and owners");
    }
    root
}

fn run(program: &str, args: &[&str]) {
    let status = Command::new(program).args(args).status().unwrap();
    assert!(status.success(), "{program} {args:?} failed");
}

/// Users (each with its own group) that exist while this value lives.
#[derive(Debug)]
pub(crate) struct Accounts {
    pub(crate) names: Vec<String>,
}

impl Accounts {
    /// One user and group per label, named `fa<pid><label>` (short: useradd allows 32).
    pub(crate) fn create(labels: &[&str]) -> Self {
        let mut accounts = Self { names: Vec::new() };
        for label in labels {
            let name = format!("fa{}{label}", std::process::id());
            run("groupadd", &[&name]);
            accounts.names.push(name.clone());
            run(
                "useradd",
                &[
                    "-M",
                    "-N",
                    "-g",
                    &name,
                    "-s",
                    "/usr/sbin/nologin",
                    "-d",
                    "/nonexistent",
                    &name,
                ],
            );
        }
        accounts
    }

    pub(crate) fn name(&self, index: usize) -> &str {
        &self.names[index]
    }

    /// Adds a user to an existing group (removed again when the user is deleted).
    pub(crate) fn join(&self, index: usize, group: &str) {
        run("usermod", &["-a", "-G", group, self.name(index)]);
    }
}

impl Drop for Accounts {
    fn drop(&mut self) {
        for name in &self.names {
            // userdel usually removes the user's own group too; groupdel covers the rest.
            let _ = Command::new("userdel").arg(name).status();
            let _ = Command::new("groupdel")
                .arg(name)
                .stderr(std::process::Stdio::null())
                .status();
        }
    }
}
