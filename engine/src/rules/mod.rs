//! The rule registry. One rule per file: metadata and docs (via [`declare_rule!`]) and a
//! `check` over the model.

mod docs;
mod fpm_000;
mod fpm_001;
mod fpm_005;
mod fpm_006;
mod fpm_007;
mod fpm_009;
mod fpm_010;
mod fpm_011;
mod fpm_101;
mod fpm_102;
mod fpm_103;
mod fpm_104;
mod fpm_106;
mod fpm_107;
mod fpm_108;
mod fpm_109;
mod fpm_110;
mod fpm_111;
mod fpm_112;
mod fpm_113;
mod fpm_115;
mod fpm_116;
mod fpm_117;
mod fpm_119;
mod fpm_120;
mod fpm_121;
mod fpm_122;
mod fpm_201;
mod fpm_204;
mod fpm_205;
mod fpm_301;
mod fpm_302;
mod fpm_303;
mod fpm_304;
mod fpm_305;
mod fpm_306;
mod fpm_310;
mod fs_001;
mod fs_002;
mod fs_003;
mod fs_004;
mod fs_005;
mod fs_006;
mod ini_000;
mod ini_001;
mod ini_101;
mod ini_102;
mod ini_103;
mod ini_104;
mod ini_105;
mod ini_106;
mod ini_107;
mod ini_110;
mod ini_111;
mod ini_112;
mod ini_113;
mod ini_116;
mod ini_119;
mod ini_121;
#[cfg(test)]
mod missing_file_tests;
mod ngx_000;
mod ngx_001;
mod ngx_002;
mod ngx_003;
mod ngx_004;
mod ngx_005;
mod ngx_006;
mod ngx_007;
mod ngx_008;
mod ngx_009;
mod ngx_021;
mod ngx_022;
mod ngx_024;
mod ngx_060;
mod ngx_061;
mod syd_000;
mod syd_001;
mod syd_002;
mod syd_003;
mod syd_004;
mod syd_006;
mod syd_007;
mod syd_008;
mod syd_009;
mod syd_010;
mod syd_017;
mod syd_018;
mod syd_020;
#[cfg(test)]
mod syd_fix_tests;

pub use docs::{Example, RuleDocs};

mod core_docs {
    include!(concat!(env!("OUT_DIR"), "/core_docs.rs"));
}

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
    /// Empty without the `full-docs` feature: [`RuleMeta::docs`] then reads the compact docs.
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
        if cfg!(feature = "full-docs") {
            RuleDocs::parse(self.docs)
        } else {
            let core = core_docs::CORE_DOCS
                .iter()
                .find(|(id, _)| *id == self.id)
                .map_or("", |(_, docs)| docs);
            RuleDocs::parse(core)
        }
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
                // Without `full-docs` only the compact docs of `build.rs` are kept.
                docs: if cfg!(feature = "full-docs") { concat!($($doc, "\n"),*) } else { "" },
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
    &fpm_001::LineFpmRejects,
    &fpm_005::ProcessManagerInvariants,
    &fpm_006::SlowlogInconsistent,
    &fpm_007::ValueTruncated,
    &fpm_009::DuplicateDirective,
    &fpm_010::InvalidSizeSuffix,
    &fpm_011::IncludeProblems,
    &fpm_101::PoolRunsAsRoot,
    &fpm_102::PrivilegedGroup,
    &fpm_103::ListenAllInterfaces,
    &fpm_104::TcpWithoutAllowedClients,
    &fpm_106::WorldAccessibleSocket,
    &fpm_107::SocketOwnershipGap,
    &fpm_108::AclOverridesOwner,
    &fpm_109::SocketInSharedDir,
    &fpm_110::EnvNotCleared,
    &fpm_111::SecretInPoolEnv,
    &fpm_112::ScriptExtensionGuard,
    &fpm_113::SecurityKeyOverridable,
    &fpm_115::NoRequestTimeout,
    &fpm_116::StatusOverTcp,
    &fpm_117::LoggingGaps,
    &fpm_119::NoWorkerRecycling,
    &fpm_120::LogInWebRoot,
    &fpm_121::NoSlowlog,
    &fpm_122::WorkerOutputLost,
    &fpm_201::AllowRunAsRoot,
    &fpm_204::NoEmergencyRestart,
    &fpm_205::ProcessMaxTooLow,
    &fpm_301::PoolsShareUser,
    &fpm_302::PoolUserIsWebServer,
    &fpm_303::SharedSessionDir,
    &fpm_304::SharedTempDir,
    &fpm_305::BasedirCoversOtherApp,
    &fpm_306::TenantReachesSocket,
    &fpm_310::CrossWritablePaths,
    &fs_001::WorldWritable,
    &fs_002::CodeWritableByPool,
    &fs_003::RootTreeGroupWritable,
    &fs_004::StateDirNotPrivate,
    &fs_005::PhpInWritableDir,
    &fs_006::SocketDiffersFromConfig,
    &ini_000::IniSyntax,
    &ini_001::IniRestNotApplied,
    &ini_101::ExposePhp,
    &ini_102::ErrorsDisplayed,
    &ini_103::ErrorsNotLogged,
    &ini_104::AllowUrlInclude,
    &ini_105::AllowUrlFopen,
    &ini_106::WeakDisableFunctions,
    &ini_107::OpenBasedir,
    &ini_110::FixPathinfo,
    &ini_111::SessionCookieFlags,
    &ini_112::SessionIdHandling,
    &ini_113::UnboundedLimits,
    &ini_116::OpcacheApiOpen,
    &ini_119::FfiEnabled,
    &ini_121::DebugExtensions,
    &ngx_000::NginxSyntax,
    &ngx_001::ScriptNotChecked,
    &ngx_002::PathInfoUnderflow,
    &ngx_003::UnanchoredPhpLocation,
    &ngx_004::IniFromRequest,
    &ngx_005::StickyIniOnSharedPool,
    &ngx_006::SharedBackend,
    &ngx_007::NetworkFastcgi,
    &ngx_008::StatusPageExposed,
    &ngx_009::ParamsDropped,
    &ngx_021::DocrootTooWide,
    &ngx_022::PhpInUploads,
    &ngx_024::DotfilesReachable,
    &ngx_060::DanglingFastcgiPass,
    &ngx_061::SocketOpenToAll,
    &syd_000::SystemdSyntax,
    &syd_001::ExposureScore,
    &syd_002::OsTreeWritable,
    &syd_003::WritePathReadOnly,
    &syd_004::SocketHiddenByPrivateTmp,
    &syd_006::MdweVersusJit,
    &syd_007::CapabilityMissing,
    &syd_008::RootFullCapabilities,
    &syd_009::SyscallFilterBlocksFpm,
    &syd_010::NoSyscallFilter,
    &syd_017::InlineComment,
    &syd_018::UnknownKey,
    &syd_020::ResetInDropin,
];

pub fn find(id: &str) -> Option<&'static dyn Rule> {
    RULES
        .iter()
        .copied()
        .find(|r| r.meta().id.eq_ignore_ascii_case(id))
}

#[cfg(test)]
mod tests;
