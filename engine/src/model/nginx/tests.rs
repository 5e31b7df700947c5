//! Unit tests of the nginx model: regexes, includes and roots, inheritance, location order.

mod includes;
mod inherit;
mod locations;
mod regex;

use super::NginxModel;
use crate::model::parse_file;
use crate::source::{FileId, FileKind, SourceFile, SourceSet};

/// Builds the model of a host made of the given nginx files.
fn host(files: &[(&str, &str)]) -> (SourceSet, NginxModel) {
    let mut sources = SourceSet::new();
    for (path, text) in files {
        sources.add(SourceFile::new(*path, *text, FileKind::Nginx));
    }
    let parsed: Vec<_> = sources
        .iter()
        .map(|(id, f)| (id, parse_file(&f.text, f.kind)))
        .collect();
    let model = NginxModel::build(&sources, &parsed);
    (sources, model)
}

fn model(files: &[(&str, &str)]) -> NginxModel {
    host(files).1
}

fn path(sources: &SourceSet, file: FileId) -> &str {
    sources.get(file).map_or("", |f| f.path.as_str())
}

/// The text a range of a file covers.
fn text(sources: &SourceSet, file: FileId, range: crate::text::TextRange) -> &str {
    sources.get(file).map_or("", |f| range.slice(&f.text))
}

/// `name value...` of each setting, for compact assertions.
fn lines(settings: &[super::Setting]) -> Vec<String> {
    settings
        .iter()
        .map(|s| {
            let mut line = s.name.clone();
            for arg in &s.args {
                line.push(' ');
                line.push_str(&arg.value);
            }
            line
        })
        .collect()
}

/// The pattern of the location `find_location` picks (with its modifier), or "none".
fn pick(model: &NginxModel, server: usize, uri: &str) -> String {
    let found = model.find_location(server, uri);
    assert!(found.unsure.is_empty(), "{uri}: unsure {:?}", found.unsure);
    found.location.and_then(|i| model.location(i)).map_or_else(
        || "none".to_string(),
        |l| {
            format!("{} {}", l.modifier.as_str(), l.pattern)
                .trim()
                .to_string()
        },
    )
}
