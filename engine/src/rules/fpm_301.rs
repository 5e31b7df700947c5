use std::collections::{BTreeMap, BTreeSet};

use super::{Context, Rule, declare_rule};
use crate::diagnostic::Finding;
use crate::model::fpm::Section;
use crate::model::tenants::{RunsAs, account_key, is_root, runs_as};

/// Other pools named in one finding; the rest are counted.
const SHOWN: usize = 5;

declare_rule! {
    /// ## What it does
    /// Reports pools that run PHP as the same unix account. The account is the pool's `user`
    /// after `$pool` expansion (`user = $pool` gives every pool its own); when the FPM unit is
    /// given and starts the master as a non-root `User=`, FPM ignores the pools' `user` lines
    /// and every pool it serves runs as that account. Numeric uids are compared with numeric
    /// uids only (a name's uid needs `/etc/passwd`), pools without `user` whose master is not
    /// known are left out, and pools running as root are FPM-101's. One finding per pool, at
    /// the line that decides its account, with the other pools as related locations.
    ///
    /// ## Why is this bad?
    /// The unix account is the only boundary the kernel enforces between apps. An attacker
    /// who gets code execution in one pool can read every file of the pools that share its
    /// account (`.env`, database passwords, session files), rewrite their code to plant a
    /// backdoor, signal and trace their workers, and reach whatever their sockets reach.
    /// `open_basedir` does not help: the attacker runs shell commands or a fresh PHP process
    /// without it.
    ///
    /// ## How to fix
    /// Give each pool its own account: `user = $pool` and `group = $pool`, with the accounts
    /// created (`useradd --system --no-create-home shop`) and each app's files owned by its own
    /// account. Let the web server reach the sockets through `listen.owner`/`listen.group`.
    ///
    /// ## Example
    /// ```fpm-pool bad
    /// [shop]
    /// user = web
    /// listen = /run/php/shop.sock
    /// [blog]
    /// user = web
    /// listen = /run/php/blog.sock
    /// ```
    /// ```fpm-pool good
    /// [shop]
    /// user = $pool
    /// listen = /run/php/shop.sock
    /// [blog]
    /// user = $pool
    /// listen = /run/php/blog.sock
    /// ```
    ///
    /// ## References
    /// - PHP manual, FPM configuration: `user`, `group` (pool section)
    /// - php-src `sapi/fpm/fpm/fpm_unix.c` (`fpm_unix_conf_wp`: `user` ignored when the master
    ///   is not root)
    PoolsShareUser {
        id: "FPM-301",
        title: "Pools share a unix user",
        severity: High,
        fixable: false,
    }
}

impl Rule for PoolsShareUser {
    fn meta(&self) -> &'static super::RuleMeta {
        Self::meta_static()
    }

    fn check(&self, cx: Context<'_>, out: &mut Vec<Finding>) {
        let known: Vec<(&Section, RunsAs)> = cx
            .model
            .fpm
            .pools
            .iter()
            .filter_map(|p| Some((p, runs_as(cx.sources, cx.model, p)?)))
            .filter(|(_, r)| !is_root(&r.user))
            .collect();
        // Grouped by account in one pass: hostile inputs have many pools.
        let mut by_account: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for (index, (_, account)) in known.iter().enumerate() {
            by_account
                .entry(account_key(&account.user))
                .or_default()
                .push(index);
        }
        let mut seen = BTreeSet::new();
        for (index, (pool, account)) in known.iter().enumerate() {
            let group = by_account.get(&account_key(&account.user));
            let others: Vec<&(&Section, RunsAs)> = group
                .into_iter()
                .flatten()
                .filter(|&&i| i != index)
                .filter_map(|&i| known.get(i))
                .take(SHOWN)
                .collect();
            if others.is_empty() || !seen.insert(account.place) {
                continue;
            }
            let mut names: Vec<String> = others
                .iter()
                .map(|(p, _)| format!("[{}]", p.name))
                .collect();
            let total = group.map_or(0, |g| g.len().saturating_sub(1));
            if total > names.len() {
                names.push(format!("{} more", total - names.len()));
            }
            let how = match &account.master {
                Some(unit) => format!(
                    " ({unit} starts the master as `{}`, so FPM ignores the pools' `user` lines)",
                    account.user
                ),
                None => String::new(),
            };
            let message = format!(
                "pool [{}] runs PHP as `{}`, like {}{how}: code execution in one app reads and rewrites the others' files",
                pool.name,
                account.user,
                names.join(", "),
            );
            let (file, range) = account.place;
            let mut finding = Self::meta_static().finding(file, range, message);
            for (other, r) in &others {
                if r.place != account.place {
                    finding = finding.with_related(
                        r.place.0,
                        r.place.1,
                        format!("pool [{}] runs as `{}` too", other.name, r.user),
                    );
                }
            }
            out.push(finding);
        }
    }
}
