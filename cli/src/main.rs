//! `fpmaudit`: audit PHP-FPM hosts from the command line.
//!
//! Exit codes: 0 when no finding reaches `--fail-on`, 1 when some do, 2 for usage or I/O errors.
//! Bad configuration content is never exit 2: it is a finding.

mod args;
mod fix;
mod json;
mod live;
mod load;
mod map;
mod sarif;
mod text;

use std::io::Write;
use std::process::ExitCode;

use anyhow::{Context as _, Result};
use clap::Parser as _;
use fpmaudit_engine::rules::{RULES, find};

use args::{Cli, Command, Format};

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            let code = if err.use_stderr() { 2 } else { 0 };
            let _ = err.print();
            return ExitCode::from(code);
        }
    };
    match run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(err) => {
            let _ = writeln!(std::io::stderr(), "fpmaudit: error: {err:#}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> Result<u8> {
    let mut out = std::io::stdout().lock();
    match cli.command {
        Command::Check(check) => {
            let loaded = live::load(check.root.as_deref(), &check.paths, check.live)?;
            let report = fpmaudit_engine::audit(&loaded.sources);
            match check.format {
                Format::Text => {
                    let color = check.color.enabled();
                    text::render(&mut out, &loaded.sources, &report, &loaded.skipped, color)?;
                }
                Format::Json => {
                    let doc = json::report(&loaded.sources, &report);
                    serde_json::to_writer_pretty(&mut out, &doc).context("writing JSON")?;
                    writeln!(out)?;
                }
                Format::Sarif => {
                    let doc = sarif::report(&loaded.sources, &report);
                    serde_json::to_writer_pretty(&mut out, &doc).context("writing SARIF")?;
                    writeln!(out)?;
                }
            }
            Ok(u8::from(report.any_at_least(check.fail_on.0)))
        }
        Command::Fix(args) => fix::run(&args, &mut out),
        Command::Map(args) => map::run(&args, &mut out),
        Command::Snapshot { root, paths } => {
            let loaded = load::load(root.as_deref(), &paths)?;
            let model = fpmaudit_engine::model::Model::build(&loaded.sources);
            writeln!(
                out,
                "{}",
                fpmaudit_engine::model::fs::command::snapshot_command(&model)
            )?;
            Ok(0)
        }
        Command::Explain { rule } => {
            let Some(rule) = find(&rule) else {
                anyhow::bail!("no rule with id {rule}; `fpmaudit rules` lists them");
            };
            let meta = rule.meta();
            writeln!(
                out,
                "{} {} ({})\n",
                meta.id,
                meta.title,
                meta.severity.as_str()
            )?;
            writeln!(out, "{}", meta.docs().markdown)?;
            Ok(0)
        }
        Command::Rules { format } => {
            match format {
                Format::Json | Format::Sarif => {
                    let list: Vec<_> = RULES.iter().map(|r| json::rule(r.meta())).collect();
                    serde_json::to_writer_pretty(&mut out, &list)?;
                    writeln!(out)?;
                }
                Format::Text => {
                    for rule in RULES {
                        let meta = rule.meta();
                        writeln!(
                            out,
                            "{:<8} {:<8} {}",
                            meta.id,
                            meta.severity.as_str(),
                            meta.title
                        )?;
                    }
                }
            }
            Ok(0)
        }
    }
}
