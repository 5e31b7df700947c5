//! Thin views: each gets data and callbacks, owns no audit state.

pub mod changes;
pub mod editor;
pub mod file_tabs;
pub mod findings;
pub mod map_view;

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
