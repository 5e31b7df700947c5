//! Command-line arguments (the contract in DESIGN.md).

use std::io::IsTerminal as _;
use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};
use fpmaudit_engine::Severity;

#[derive(Debug, Parser)]
#[command(
    name = "fpmaudit",
    version,
    about = "Audit PHP-FPM deployments for isolation and hardening"
)]
pub(crate) struct Cli {
    #[command(subcommand)]
    pub(crate) command: Command,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Report findings for a host's configuration.
    Check(CheckArgs),
    /// Write the hardened configuration: fixes applied, every other byte kept.
    Fix(FixArgs),
    /// Draw the trust-boundary map: sites, sockets, pools, users and paths, and where apps meet.
    Map(MapArgs),
    /// Print the one-line command that collects the permissions snapshot, passwd and group
    /// for the trees the configs name (run it on the host, paste its output back).
    #[command(name = "snapshot-command")]
    Snapshot {
        /// Treat DIR as the host's `/` (as for `check`).
        #[arg(long, value_name = "DIR")]
        root: Option<PathBuf>,
        /// Files or directories (read recursively). With --root and no PATH: every known config.
        paths: Vec<PathBuf>,
    },
    /// Print a rule's documentation.
    Explain {
        /// Rule id, e.g. FPM-103.
        rule: String,
    },
    /// List every rule.
    Rules {
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
}

#[derive(Debug, clap::Args)]
pub(crate) struct CheckArgs {
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub(crate) format: Format,
    /// Exit 1 when a finding is at least this severe.
    #[arg(long, value_name = "SEVERITY", default_value = "high", value_parser = parse_severity)]
    pub(crate) fail_on: SeverityArg,
    /// Treat DIR as the host's `/`: paths are reported as the host sees them.
    #[arg(long, value_name = "DIR")]
    pub(crate) root: Option<PathBuf>,
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub(crate) color: ColorChoice,
    /// Live host mode: also read modes and owners of the trees the configs name, and the
    /// user and group databases, from this host (or from --root). Read-only.
    #[arg(long)]
    pub(crate) live: bool,
    /// Files or directories (read recursively). With --root and no PATH: every known config.
    pub(crate) paths: Vec<PathBuf>,
}

#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("output").required(true).args(["out", "diff"])))]
pub(crate) struct FixArgs {
    /// Treat DIR as the host's `/` (as for `check`).
    #[arg(long, value_name = "DIR")]
    pub(crate) root: Option<PathBuf>,
    /// Write the hardened tree under DIR, mirroring host paths (`DIR/etc/php/...`).
    #[arg(long, value_name = "DIR")]
    pub(crate) out: Option<PathBuf>,
    /// Print unified diffs of the changed files instead of writing them.
    #[arg(long)]
    pub(crate) diff: bool,
    /// Live host mode, as for `check --live`: modes, owners, users and groups read from this
    /// host (or --root). Read-only.
    #[arg(long)]
    pub(crate) live: bool,
    /// Apply only fixes marked safe (keep behaviour for legitimate traffic); by default fixes
    /// that need review are applied too and listed on stderr.
    #[arg(long)]
    pub(crate) safe_only: bool,
    /// Files or directories (read recursively). With --root and no PATH: every known config.
    pub(crate) paths: Vec<PathBuf>,
}

#[derive(Debug, clap::Args)]
pub(crate) struct MapArgs {
    /// Treat DIR as the host's `/` (as for `check`).
    #[arg(long, value_name = "DIR")]
    pub(crate) root: Option<PathBuf>,
    #[arg(long, value_enum, default_value_t = MapFormat::Svg)]
    pub(crate) format: MapFormat,
    /// Live host mode, as for `check --live`: modes, owners, users and groups read from this
    /// host (or --root). Read-only.
    #[arg(long)]
    pub(crate) live: bool,
    /// Files or directories (read recursively). With --root and no PATH: every known config.
    pub(crate) paths: Vec<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum MapFormat {
    Svg,
    Dot,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Format {
    Text,
    Json,
    /// SARIF 2.1.0, for code-scanning dashboards (`check` only).
    Sarif,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ColorChoice {
    Auto,
    Always,
    Never,
}

impl ColorChoice {
    pub(crate) fn enabled(self) -> bool {
        match self {
            Self::Always => true,
            Self::Never => false,
            Self::Auto => std::env::var_os("NO_COLOR").is_none() && std::io::stdout().is_terminal(),
        }
    }
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct SeverityArg(pub(crate) Severity);

fn parse_severity(value: &str) -> Result<SeverityArg, String> {
    Severity::parse(value)
        .map(SeverityArg)
        .ok_or_else(|| format!("expected one of critical, high, medium, low, info; got {value}"))
}
