//! Every pool of the host with its account, indexed once so the cross-pool questions (who else
//! runs as this account, who else can open this socket) stay cheap on hosts with many pools.

use std::collections::BTreeMap;

use super::Model;
use super::fpm::{Section, Setting};
use super::tenants::{
    RunsAs, account_key, is_tcp, is_web_account, runs_as, socket_owner, unix_grant,
};
use crate::source::SourceSet;

/// One setting of a pool's unix socket and the other tenants it lets in.
#[derive(Debug, Clone)]
pub struct Grant<'m> {
    pub by: &'m Setting,
    pub tenants: Vec<&'m Section>,
}

#[derive(Debug, Clone)]
pub struct Tenancy<'m> {
    /// Every pool in model order, with the account it runs as when a file says.
    pub pools: Vec<(&'m Section, Option<RunsAs>)>,
    by_name: BTreeMap<&'m str, usize>,
    by_user: BTreeMap<String, Vec<usize>>,
    by_group: BTreeMap<String, Vec<usize>>,
    web: Vec<bool>,
    web_count: usize,
}

impl<'m> Tenancy<'m> {
    pub fn new(sources: &SourceSet, model: &'m Model) -> Self {
        let pools: Vec<(&Section, Option<RunsAs>)> = model
            .fpm
            .pools
            .iter()
            .map(|p| (p, runs_as(sources, model, p)))
            .collect();
        let mut tenancy = Self {
            by_name: BTreeMap::new(),
            by_user: BTreeMap::new(),
            by_group: BTreeMap::new(),
            web: Vec::new(),
            web_count: 0,
            pools: Vec::new(),
        };
        for (index, (pool, account)) in pools.iter().enumerate() {
            tenancy.by_name.insert(pool.name.as_str(), index);
            let web = account
                .as_ref()
                .is_some_and(|a| is_web_account(model, &a.user));
            tenancy.web.push(web);
            tenancy.web_count += usize::from(web);
            if let Some(a) = account {
                tenancy
                    .by_user
                    .entry(account_key(&a.user))
                    .or_default()
                    .push(index);
                tenancy
                    .by_group
                    .entry(account_key(&a.group))
                    .or_default()
                    .push(index);
            }
        }
        tenancy.pools = pools;
        tenancy
    }

    fn index(&self, pool: &Section) -> Option<usize> {
        self.by_name.get(pool.name.as_str()).copied()
    }

    fn account(&self, index: usize) -> Option<&RunsAs> {
        self.pools.get(index).and_then(|(_, a)| a.as_ref())
    }

    /// Whether pool `other` is another tenant of pool `me`: not itself, not a pool running as
    /// the same account (the same tenant for file access), not the web server's account
    /// (its reach is the web server's own, FPM-302 reports it).
    pub fn is_other(&self, me: usize, other: usize) -> bool {
        let same = match (self.account(me), self.account(other)) {
            (Some(a), Some(b)) => account_key(&a.user) == account_key(&b.user),
            _ => false,
        };
        me != other && !same && !self.web.get(other).copied().unwrap_or(false)
    }

    /// The other tenants that could open `pool`'s TCP socket, as any local account can:
    /// up to `shown` of them and how many there are. Nothing for unix sockets.
    pub fn tcp_tenants(&self, pool: &Section, shown: usize) -> (Vec<&'m Section>, usize) {
        let Some(me) = self.index(pool).filter(|_| is_tcp(pool)) else {
            return (Vec::new(), 0);
        };
        let same = self
            .account(me)
            .and_then(|a| self.by_user.get(&account_key(&a.user)))
            .map_or(0, |g| g.len().saturating_sub(1));
        let web = if self.web.get(me).copied().unwrap_or(false) {
            0
        } else {
            self.web_count
        };
        let count = self.pools.len().saturating_sub(1 + same + web);
        let names = (0..self.pools.len())
            .filter(|&i| self.is_other(me, i))
            .filter_map(|i| self.pools.get(i).map(|(p, _)| *p))
            .take(shown)
            .collect();
        (names, count)
    }

    /// The settings of `pool`'s unix socket that let another tenant open it, each with the
    /// tenants it lets in. Only the accounts the socket names are looked at.
    pub fn grants(&self, pool: &'m Section) -> Vec<Grant<'m>> {
        let Some(me) = self.index(pool) else {
            return Vec::new();
        };
        let (owner, group) = socket_owner(pool);
        let list = |key: &str| {
            pool.get(key)
                .map(|s| s.value.split(',').map(str::to_string).collect::<Vec<_>>())
                .unwrap_or_default()
        };
        let mut candidates: Vec<usize> = Vec::new();
        for user in list("listen.acl_users")
            .iter()
            .chain(std::iter::once(&owner))
        {
            candidates.extend(self.by_user.get(&account_key(user)).into_iter().flatten());
        }
        for name in list("listen.acl_groups")
            .iter()
            .chain(std::iter::once(&group))
        {
            candidates.extend(self.by_group.get(&account_key(name)).into_iter().flatten());
        }
        crate::sort::sort(&mut candidates);
        candidates.dedup();
        let mut grants: Vec<Grant<'m>> = Vec::new();
        for other in candidates.into_iter().filter(|&o| self.is_other(me, o)) {
            let (Some((section, _)), Some(account)) = (self.pools.get(other), self.account(other))
            else {
                continue;
            };
            let Some(by) = unix_grant(pool, &account.user, &account.group) else {
                continue;
            };
            match grants.iter_mut().find(|g| std::ptr::eq(g.by, by)) {
                Some(grant) => grant.tenants.push(section),
                None => grants.push(Grant {
                    by,
                    tenants: vec![section],
                }),
            }
        }
        grants
    }

    /// The accounts of `pool`'s other tenants (pools with a known account only).
    pub fn accounts_besides(&self, pool: &Section) -> Vec<&RunsAs> {
        let Some(me) = self.index(pool) else {
            return Vec::new();
        };
        (0..self.pools.len())
            .filter(|&i| self.is_other(me, i))
            .filter_map(|i| self.account(i))
            .collect()
    }

    /// The account a pool runs as, when known.
    pub fn account_of(&self, pool: &Section) -> Option<&RunsAs> {
        self.index(pool).and_then(|i| self.account(i))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{FileKind, SourceFile};

    fn model(pools: &str) -> (SourceSet, Model) {
        let mut sources = SourceSet::new();
        sources.add(SourceFile::new(
            "/etc/php/8.2/fpm/pool.d/p.conf",
            pools,
            FileKind::FpmPool,
        ));
        let model = Model::build(&sources);
        (sources, model)
    }

    #[test]
    fn tcp_sockets_are_open_to_the_other_tenants_only() {
        // Alone on the host: nobody else to connect.
        let (sources, m) = model("[api]\nuser = api\nlisten = 127.0.0.1:9000\n");
        let t = Tenancy::new(&sources, &m);
        let api = m.fpm.pool("api").map(|p| t.tcp_tenants(p, 5).1);
        assert_eq!(api, Some(0));
        // Another account counts; the same account and the web server's do not.
        let (sources, m) = model(
            "[api]\nuser = api\nlisten = 127.0.0.1:9000\n[jobs]\nuser = api\nlisten = /run/j.sock\n[www]\nuser = www-data\nlisten = /run/w.sock\n[blog]\nuser = blog\nlisten = /run/b.sock\n",
        );
        let t = Tenancy::new(&sources, &m);
        let (names, count) = m
            .fpm
            .pool("api")
            .map(|p| t.tcp_tenants(p, 5))
            .unwrap_or_default();
        let names: Vec<&str> = names.iter().map(|p| p.name.as_str()).collect();
        assert_eq!((names, count), (vec!["blog"], 1));
        let blog = m.fpm.pool("blog").map(|p| t.tcp_tenants(p, 5).1);
        assert_eq!(blog, Some(0), "unix sockets are FPM-306's other half");
    }

    #[test]
    fn grants_follow_owner_group_and_acl() {
        let (sources, m) = model(
            "[shop]\nuser = shop\nlisten = /run/s.sock\nlisten.group = staff\n[crm]\nuser = crm\ngroup = staff\nlisten = /run/c.sock\nlisten.acl_users = www-data, 0033 ,shop\n",
        );
        let t = Tenancy::new(&sources, &m);
        let who = |name: &str| -> Vec<String> {
            m.fpm
                .pool(name)
                .map(|p| t.grants(p))
                .unwrap_or_default()
                .iter()
                .flat_map(|g| g.tenants.iter().map(|p| p.name.clone()))
                .collect()
        };
        assert_eq!(who("shop"), vec!["crm".to_string()]);
        assert_eq!(who("crm"), vec!["shop".to_string()]);
    }
}
