//! The rule registry. One rule per file: metadata and docs (via [`declare_rule!`]) and a
//! `check` over the model.

mod docs;
mod fpm_000;
mod fpm_103;
mod fpm_106;
mod fpm_302;
mod ini_000;
mod ngx_000;
mod syd_000;

pub use docs::{Example, RuleDocs};

use crate::diagnostic::{Finding, Severity};
use crate::model::Model;
use crate::source::{FileId, SourceSet};
use crate::text::TextRange;

/// What every rule declares about itself.
#[derive(Debug)]
pub struct RuleMeta {
    pub id: &'static str,
    pub title: &'static str,
    pub severity: Severity,
    /// Markdown with the headings `What it does`, `Why is this bad?`, `How to fix`, `Example`
    /// and `References`; shown by `fpmaudit explain` and in the app, and its examples are tested.
    pub docs: &'static str,
    /// Whether the rule can attach a fix to some of its findings.
    pub fixable: bool,
}

impl RuleMeta {
    /// A finding of this rule at its default severity.
    pub fn finding(
        &'static self,
        file: FileId,
        range: TextRange,
        message: impl Into<String>,
    ) -> Finding {
        Finding {
            rule: self.id,
            severity: self.severity,
            title: self.title,
            message: message.into(),
            file,
            range,
            related: Vec::new(),
            fix: None,
        }
    }

    pub fn docs(&self) -> RuleDocs {
        RuleDocs::parse(self.docs)
    }
}

/// What a rule sees.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    pub sources: &'a SourceSet,
    pub model: &'a Model,
}

pub trait Rule: Sync + std::fmt::Debug {
    fn meta(&self) -> &'static RuleMeta;
    fn check(&self, cx: Context<'_>, out: &mut Vec<Finding>);
}

/// Declares a rule struct and its metadata; the doc comment becomes the rule's docs.
macro_rules! declare_rule {
    (
        $(#[doc = $doc:literal])*
        $name:ident {
            id: $id:literal,
            title: $title:literal,
            severity: $severity:ident,
            fixable: $fixable:literal $(,)?
        }
    ) => {
        #[derive(Debug, Clone, Copy, Default)]
        pub(crate) struct $name;

        impl $name {
            pub(crate) const META: $crate::rules::RuleMeta = $crate::rules::RuleMeta {
                id: $id,
                title: $title,
                severity: $crate::diagnostic::Severity::$severity,
                docs: concat!($($doc, "\n"),*),
                fixable: $fixable,
            };

            fn meta_static() -> &'static $crate::rules::RuleMeta {
                static META: $crate::rules::RuleMeta = $name::META;
                &META
            }
        }
    };
}
pub(crate) use declare_rule;

/// Every rule, sorted by id (a test keeps it that way).
pub static RULES: &[&dyn Rule] = &[
    &fpm_000::FpmSyntax,
    &fpm_103::ListenAllInterfaces,
    &fpm_106::WorldAccessibleSocket,
    &fpm_302::PoolUserIsWebServer,
    &ini_000::IniSyntax,
    &ngx_000::NginxSyntax,
    &syd_000::SystemdSyntax,
];

pub fn find(id: &str) -> Option<&'static dyn Rule> {
    RULES
        .iter()
        .copied()
        .find(|r| r.meta().id.eq_ignore_ascii_case(id))
}

#[cfg(test)]
mod tests;
