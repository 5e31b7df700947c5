//! Thin views: each gets data and callbacks, owns no audit state.

pub mod changes;
pub mod editor;
pub mod file_tabs;
pub mod findings;
pub mod gallery;
pub mod import;
pub mod map_view;
pub mod share;
pub mod summary;
pub mod workshop;

use fpmaudit_engine::Severity;

/// Severity shown by icon and word, never by colour alone.
pub fn severity_icon(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical => "✖",
        Severity::High => "▲",
        Severity::Medium => "◆",
        Severity::Low => "●",
        Severity::Info => "ℹ",
    }
}
