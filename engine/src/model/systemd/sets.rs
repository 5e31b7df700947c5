//! The settings whose assignments combine in their own way: plain lists with resets, and the
//! `~` lists (capabilities, system calls, address families, namespaces), each replayed
//! assignment by assignment exactly as systemd 252's `config_parse_*()` functions do.

use std::collections::BTreeSet;

use super::names_table::{ADDRESS_FAMILIES, CAPABILITIES, NAMESPACES};
use super::{Effect, Setting};

/// An empty assignment and what it threw away.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reset<'a> {
    pub setting: &'a Setting,
    /// The applied assignments before it whose values it discarded, in order.
    pub discarded: Vec<&'a Setting>,
}

/// A list setting after merging: the assignments after the last reset.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EffectiveList<'a> {
    /// Applied assignments after the last reset, in order; each adds its value.
    pub entries: Vec<&'a Setting>,
    /// Every reset, in order. A reset in a drop-in that discards hardening set earlier is what
    /// SYD-020 reports.
    pub resets: Vec<Reset<'a>>,
}

/// One word of a list value and the assignment it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word<'a> {
    pub text: String,
    pub setting: &'a Setting,
}

impl<'a> EffectiveList<'a> {
    /// Replays `settings` (one key's assignments in order).
    pub fn build(settings: &[&'a Setting]) -> Self {
        let mut list = Self::default();
        for setting in read(settings) {
            match setting.effect {
                Effect::Reset => list.resets.push(Reset {
                    setting,
                    discarded: std::mem::take(&mut list.entries),
                }),
                Effect::Applied => list.entries.push(setting),
                Effect::Ignored | Effect::Fatal | Effect::Skipped => {}
            }
        }
        list
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn last_reset(&self) -> Option<&Reset<'a>> {
        self.resets.last()
    }

    /// The entries split into words (quotes removed), for path and name lists.
    pub fn words(&self) -> Vec<Word<'a>> {
        self.entries
            .iter()
            .flat_map(|&setting| {
                split_words(&setting.value, true)
                    .into_iter()
                    .map(move |text| Word { text, setting })
            })
            .collect()
    }
}

/// Splits a value into words like systemd's `extract_first_word()`: spaces and tabs separate,
/// a backslash takes the next character literally, and with `unquote` single or double quotes
/// group (an unbalanced quote runs to the end, as with `EXTRACT_RELAX`).
pub fn split_words(value: &str, unquote: bool) -> Vec<String> {
    let mut words = Vec::new();
    let mut current = String::new();
    let mut in_word = false;
    let mut quote: Option<char> = None;
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        match (quote, c) {
            (_, '\\') => {
                in_word = true;
                if let Some(next) = chars.next() {
                    current.push(next);
                }
            }
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => current.push(c),
            (None, ' ' | '\t' | '\n' | '\r') => {
                if in_word {
                    words.push(std::mem::take(&mut current));
                    in_word = false;
                }
            }
            (None, '\'' | '"') if unquote => {
                in_word = true;
                quote = Some(c);
            }
            (None, c) => {
                in_word = true;
                current.push(c);
            }
        }
    }
    if in_word {
        words.push(current);
    }
    words
}

/// The assignments systemd reads: applied ones and resets.
fn read<'a>(settings: &[&'a Setting]) -> impl Iterator<Item = &'a Setting> {
    settings
        .iter()
        .copied()
        .filter(|s| matches!(s.effect, Effect::Applied | Effect::Reset))
}

fn strip_tilde(value: &str) -> (bool, &str) {
    match value.strip_prefix('~') {
        Some(rest) => (true, rest),
        None => (false, value),
    }
}

/// `CapabilityBoundingSet=` or `AmbientCapabilities=` after merging (`config_parse_capability_set`).
///
/// An assignment replaces the set when nothing valid is named (`Key=`, `Key=~`, or only unknown
/// names), or while the set still has its initial value (all capabilities for the bounding
/// set, none for ambient); otherwise plain lines add and `~` lines take away. So
/// `CAP_A CAP_B` + `~CAP_B CAP_C` gives `CAP_A`, `~CAP_A` + `CAP_A` gives the initial set back
/// and the next line replaces it, and a line of unknown names empties the set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CapabilitySet<'a> {
    /// Bit n is capability n; bits above the known capabilities are kept as systemd keeps them.
    pub mask: u64,
    /// The assignments the mask is built from: the last replacing one and those after it.
    pub entries: Vec<&'a Setting>,
    /// Empty assignments (`Key=`: no capabilities at all) and what they discarded.
    pub resets: Vec<Reset<'a>>,
}

impl<'a> CapabilitySet<'a> {
    pub fn build(settings: &[&'a Setting], bounding: bool) -> Self {
        let initial = if bounding { u64::MAX } else { 0 };
        let mut set = Self {
            mask: initial,
            entries: Vec::new(),
            resets: Vec::new(),
        };
        for setting in read(settings) {
            let (invert, rest) = strip_tilde(&setting.value);
            let sum = split_words(rest, true)
                .iter()
                .filter_map(|w| capability_from_name(w))
                .fold(0u64, |acc, cap| acc | (1u64 << cap));
            if setting.value.is_empty() {
                set.resets.push(Reset {
                    setting,
                    discarded: std::mem::take(&mut set.entries),
                });
            }
            if sum == 0 || set.mask == initial {
                set.mask = if invert { !sum } else { sum };
                set.entries.clear();
            } else if invert {
                set.mask &= !sum;
            } else {
                set.mask |= sum;
            }
            set.entries.push(setting);
        }
        set
    }

    /// Whether no assignment applies: systemd's default set.
    pub fn is_default(&self) -> bool {
        self.entries.is_empty()
    }

    /// Whether the set holds `name` (`CAP_SYS_ADMIN`, any case, or a number).
    pub fn contains(&self, name: &str) -> bool {
        capability_from_name(name).is_some_and(|cap| self.mask & (1u64 << cap) != 0)
    }

    /// The known capabilities in the set, in kernel order.
    pub fn names(&self) -> Vec<&'static str> {
        (0u32..)
            .zip(CAPABILITIES)
            .filter(|(cap, _)| self.mask & (1u64 << cap) != 0)
            .map(|(_, name)| name)
            .collect()
    }
}

/// `capability_from_name()`: a known name in any case, or a number of a known capability.
pub fn capability_from_name(word: &str) -> Option<u32> {
    if let Ok(n) = word.parse::<u32>() {
        return usize::try_from(n)
            .is_ok_and(|i| i < CAPABILITIES.len())
            .then_some(n);
    }
    (0u32..)
        .zip(CAPABILITIES)
        .find(|(_, name)| name.eq_ignore_ascii_case(word))
        .map(|(cap, _)| cap)
}

/// `SystemCallFilter=` after merging (`config_parse_syscall_filter`), before group expansion:
/// the first assignment after a reset decides between an allow list (which then starts with
/// `@default`) and a deny list (`~`). Later assignments add to that list or, with the other
/// polarity, take out of it. Names and `@groups` are kept as written; expanding them needs
/// systemd's syscall tables, which the scorer has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyscallFilter<'a> {
    /// `None` when no filter is configured (nothing set, or reset last).
    pub allow_list: Option<bool>,
    /// What happens to the list, in order.
    pub ops: Vec<SyscallOp<'a>>,
    pub resets: Vec<Reset<'a>>,
}

/// One name of a `SystemCallFilter=` line and its effect on the list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyscallOp<'a> {
    /// A system call or `@group` name.
    pub name: String,
    /// The `:errno` suffix of a deny-list entry.
    pub errno: Option<String>,
    /// `true`: put into the list (allowed in an allow list, denied in a deny list); `false`:
    /// take out of it.
    pub add: bool,
    pub setting: &'a Setting,
}

impl<'a> SyscallFilter<'a> {
    pub fn build(settings: &[&'a Setting]) -> Self {
        let mut filter = Self {
            allow_list: None,
            ops: Vec::new(),
            resets: Vec::new(),
        };
        let mut since_reset: Vec<&'a Setting> = Vec::new();
        for setting in read(settings) {
            if setting.value.is_empty() {
                filter.allow_list = None;
                filter.ops.clear();
                filter.resets.push(Reset {
                    setting,
                    discarded: std::mem::take(&mut since_reset),
                });
                continue;
            }
            since_reset.push(setting);
            let (invert, rest) = strip_tilde(&setting.value);
            let allow = *filter.allow_list.get_or_insert(!invert);
            // Words are split without unquoting (flags 0 in systemd 252).
            for word in split_words(rest, false) {
                let (name, errno) = match word.split_once(':') {
                    Some((name, errno)) => (name.to_string(), Some(errno.to_string())),
                    None => (word, None),
                };
                if errno.as_deref().is_some_and(|e| !valid_errno(e)) || errno.is_some() && !invert {
                    // "Allow-listed system calls cannot take error number, ignoring".
                    continue;
                }
                filter.ops.push(SyscallOp {
                    name,
                    errno,
                    add: invert != allow,
                    setting,
                });
            }
        }
        filter
    }
}

/// `parse_errno()`: a number below 4096 or an `E…` name.
fn valid_errno(text: &str) -> bool {
    if let Ok(n) = text.parse::<u32>() {
        return n < 4096;
    }
    text.len() > 1
        && text.starts_with('E')
        && text
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
}

/// `RestrictAddressFamilies=` after merging (`config_parse_address_families`). The first
/// assignment after a reset (or `none`) decides allow list or deny list; later ones with the
/// same polarity add, with the other polarity remove. Unknown names are skipped. `none` makes
/// an empty allow list, but a `~` line right after it starts a deny list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AddressFamilies<'a> {
    /// `None` when no restriction is configured.
    pub allow_list: Option<bool>,
    /// Canonical names (`AF_UNIX` for `AF_LOCAL`) of the families listed.
    pub families: BTreeSet<&'static str>,
    pub entries: Vec<&'a Setting>,
    pub resets: Vec<Reset<'a>>,
}

impl<'a> AddressFamilies<'a> {
    pub fn build(settings: &[&'a Setting]) -> Self {
        let mut set = Self {
            allow_list: None,
            families: BTreeSet::new(),
            entries: Vec::new(),
            resets: Vec::new(),
        };
        // systemd frees the set on `none`, so the next line starts over although the allow
        // flag stays.
        let mut allocated = false;
        for setting in read(settings) {
            if setting.value.is_empty() {
                set.allow_list = None;
                set.families.clear();
                allocated = false;
                set.resets.push(Reset {
                    setting,
                    discarded: std::mem::take(&mut set.entries),
                });
                continue;
            }
            if setting.value == "none" {
                set.allow_list = Some(true);
                set.families.clear();
                set.entries.clear();
                set.entries.push(setting);
                allocated = false;
                continue;
            }
            let (invert, rest) = strip_tilde(&setting.value);
            if !allocated {
                allocated = true;
                set.families.clear();
                set.entries.clear();
                set.allow_list = Some(!invert);
            }
            set.entries.push(setting);
            let allow = set.allow_list == Some(true);
            for word in split_words(rest, true) {
                let Some(family) = address_family(&word) else {
                    continue;
                };
                if invert == allow {
                    set.families.remove(family);
                } else {
                    set.families.insert(family);
                }
            }
        }
        set
    }

    /// Whether sockets of `family` (`AF_INET`, any case, aliases too) may be created.
    pub fn allows(&self, family: &str) -> bool {
        let Some(family) = address_family(family) else {
            return self.allow_list != Some(true);
        };
        match self.allow_list {
            None => true,
            Some(true) => self.families.contains(family),
            Some(false) => !self.families.contains(family),
        }
    }
}

/// `af_from_name()` (case-insensitive), mapped to the canonical name of the family number.
pub fn address_family(word: &str) -> Option<&'static str> {
    let number = ADDRESS_FAMILIES
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case(word))
        .map(|(_, n)| *n)?;
    ADDRESS_FAMILIES
        .iter()
        .find(|(_, n)| *n == number)
        .map(|(name, _)| *name)
}

/// `RestrictNamespaces=` after merging (`config_parse_restrict_namespaces`): a boolean sets the
/// value outright (`yes`: no namespaces), the first list sets it, later lists add (plain) or
/// remove (`~`) namespace types; an empty assignment goes back to the default (no restriction).
/// A line with an unknown type is ignored whole.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Namespaces<'a> {
    /// Bit i is [`NAMESPACES`]\[i\]; `None` is the initial state (everything allowed).
    pub allowed: Option<u8>,
    pub entries: Vec<&'a Setting>,
    pub resets: Vec<Reset<'a>>,
}

const ALL_NAMESPACES: u8 = u8::MAX >> (8 - NAMESPACES.len());

impl<'a> Namespaces<'a> {
    pub fn build(settings: &[&'a Setting]) -> Self {
        let mut ns = Self {
            allowed: None,
            entries: Vec::new(),
            resets: Vec::new(),
        };
        for setting in read(settings) {
            match setting.effect {
                Effect::Reset => {
                    ns.allowed = None;
                    ns.resets.push(Reset {
                        setting,
                        discarded: std::mem::take(&mut ns.entries),
                    });
                    continue;
                }
                Effect::Ignored | Effect::Fatal | Effect::Skipped => continue,
                Effect::Applied => {}
            }
            if let Some(restrict) = super::keys::parse_bool(&setting.value) {
                ns.allowed = Some(if restrict { 0 } else { ALL_NAMESPACES });
                ns.entries.clear();
                ns.entries.push(setting);
                continue;
            }
            let (invert, rest) = strip_tilde(&setting.value);
            let flags = namespace_flags(rest).unwrap_or(0);
            ns.allowed = Some(match ns.allowed {
                None if invert => !flags & ALL_NAMESPACES,
                None => flags,
                Some(old) if invert => old & !flags,
                Some(old) => old | flags,
            });
            ns.entries.push(setting);
        }
        ns
    }

    /// Whether namespaces of `kind` (`user`, `net`, …) may be created.
    pub fn allows(&self, kind: &str) -> bool {
        let Some(index) = NAMESPACES.iter().position(|n| *n == kind) else {
            return true;
        };
        self.allowed.is_none_or(|mask| mask & (1 << index) != 0)
    }
}

fn namespace_flags(list: &str) -> Option<u8> {
    split_words(list, true).iter().try_fold(0u8, |acc, word| {
        NAMESPACES
            .iter()
            .position(|n| n == word)
            .map(|i| acc | (1 << i))
    })
}

/// Whether every word of a (possibly `~`) namespace list is a known type.
pub(super) fn namespaces_valid(value: &str) -> bool {
    namespace_flags(strip_tilde(value).1).is_some()
}
