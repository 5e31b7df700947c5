//! What the unit's mount sandbox lets the service write: `ProtectSystem=`, `ProtectHome=`,
//! `ReadOnlyPaths=`, `InaccessiblePaths=`, `ReadWritePaths=`, `PrivateTmp=` and the
//! `*Directory=` settings, resolved for one path the way the mounts nest (the deepest mount
//! covering the path decides).

use super::{Setting, Unit};

/// What the service can do with a path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    Writable,
    ReadOnly,
    /// Not there at all (`InaccessiblePaths=`, `ProtectHome=yes`) or an empty tmpfs whose
    /// writes nobody else sees (`ProtectHome=tmpfs`).
    Hidden,
}

/// Why a path has its access: the mount that decides and the setting that made it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict<'a> {
    pub access: Access,
    /// The directory the deciding mount covers (`/` for ProtectSystem=strict).
    pub prefix: String,
    /// `ProtectSystem=strict`, `ReadWritePaths=/run/php`, …
    pub why: String,
    /// The assignment; `None` for what `DynamicUser=` implies or for the host default.
    pub setting: Option<&'a Setting>,
}

struct Mount<'a> {
    prefix: String,
    access: Access,
    why: String,
    setting: Option<&'a Setting>,
}

/// `-/run/php/` → `/run/php`.
fn clean(word: &str) -> String {
    let path = word.trim_start_matches(['-', '+']);
    let trimmed = path.trim_end_matches('/');
    if trimmed.is_empty() {
        "/".to_string()
    } else {
        trimmed.to_string()
    }
}

fn covers(prefix: &str, path: &str) -> bool {
    prefix == "/"
        || path == prefix
        || path
            .strip_prefix(prefix)
            .is_some_and(|rest| rest.starts_with('/'))
}

impl Unit {
    /// Whether the unit restricts writes anywhere (so write paths are worth checking).
    pub fn restricts_writes(&self) -> bool {
        self.mounts().iter().any(|m| m.access != Access::Writable)
    }

    /// What the service can do with `path` (absolute).
    pub fn access(&self, path: &str) -> Verdict<'_> {
        let path = clean(path);
        let mounts = self.mounts();
        let best = mounts
            .iter()
            .enumerate()
            .filter(|(_, m)| covers(&m.prefix, &path))
            .max_by_key(|(i, m)| (m.prefix.len(), *i));
        match best {
            Some((_, m)) => Verdict {
                access: m.access,
                prefix: m.prefix.clone(),
                why: m.why.clone(),
                setting: m.setting,
            },
            None => Verdict {
                access: Access::Writable,
                prefix: "/".to_string(),
                why: "no mount restriction".to_string(),
                setting: None,
            },
        }
    }

    /// The path restrictions in the order they apply; for equal paths a later one wins.
    fn mounts(&self) -> Vec<Mount<'_>> {
        let mut mounts = Vec::new();
        let dynamic = self.flag("Service", "DynamicUser") == Some(true);
        let system = self.get("Service", "ProtectSystem");
        let system_value = self
            .value("Service", "ProtectSystem")
            .map(|v| super::parse_bool(v).map_or(v, |b| if b { "yes" } else { "no" }));
        let (read_only, why): (&[&str], &str) = match (system_value, dynamic) {
            (Some("strict"), _) | (_, true) => (&["/"], "ProtectSystem=strict"),
            (Some("full"), _) => (&["/usr", "/boot", "/efi", "/etc"], "ProtectSystem=full"),
            (Some("yes"), _) => (&["/usr", "/boot", "/efi"], "ProtectSystem=yes"),
            _ => (&[], ""),
        };
        for prefix in read_only {
            mounts.push(Mount {
                prefix: (*prefix).to_string(),
                access: Access::ReadOnly,
                why: why.to_string(),
                setting: system.filter(|_| !dynamic),
            });
        }
        if read_only == ["/"] {
            for api in ["/dev", "/proc", "/sys"] {
                mounts.push(Mount {
                    prefix: api.to_string(),
                    access: Access::Writable,
                    why: "an API file system".to_string(),
                    setting: None,
                });
            }
        }
        let home = self.get("Service", "ProtectHome");
        let home_value = self
            .value("Service", "ProtectHome")
            .map(|v| super::parse_bool(v).map_or(v, |b| if b { "yes" } else { "no" }));
        let home_access = match home_value {
            Some("yes" | "tmpfs") => Some(Access::Hidden),
            Some("read-only") => Some(Access::ReadOnly),
            _ if dynamic => Some(Access::ReadOnly),
            _ => None,
        };
        if let Some(access) = home_access {
            for prefix in ["/home", "/root", "/run/user"] {
                mounts.push(Mount {
                    prefix: prefix.to_string(),
                    access,
                    why: format!("ProtectHome={}", home_value.unwrap_or("read-only")),
                    setting: home,
                });
            }
        }
        if self.flag("Service", "PrivateTmp") == Some(true) || dynamic {
            for prefix in ["/tmp", "/var/tmp"] {
                mounts.push(Mount {
                    prefix: prefix.to_string(),
                    access: Access::Writable,
                    why: "PrivateTmp=yes (a private /tmp)".to_string(),
                    setting: self.get("Service", "PrivateTmp"),
                });
            }
        }
        let lists = [
            ("ReadOnlyPaths", Access::ReadOnly, ""),
            ("InaccessiblePaths", Access::Hidden, ""),
            ("RuntimeDirectory", Access::Writable, "/run/"),
            ("StateDirectory", Access::Writable, "/var/lib/"),
            ("CacheDirectory", Access::Writable, "/var/cache/"),
            ("LogsDirectory", Access::Writable, "/var/log/"),
            ("ReadWritePaths", Access::Writable, ""),
        ];
        for (key, access, base) in lists {
            for word in self.list("Service", key).words() {
                let name = word.text.split(':').next().unwrap_or("");
                let prefix = clean(&format!("{base}{name}"));
                mounts.push(Mount {
                    why: format!("{key}={}", word.text),
                    prefix,
                    access,
                    setting: Some(word.setting),
                });
            }
        }
        mounts
    }
}
