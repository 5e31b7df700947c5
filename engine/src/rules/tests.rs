use super::*;
use crate::rules::docs::ExampleRole;
use crate::source::SourceFile;

#[test]
fn registry_is_sorted_and_unique() {
    let ids: Vec<&str> = RULES.iter().map(|r| r.meta().id).collect();
    let mut sorted = ids.clone();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(ids, sorted);
}

#[test]
fn every_rule_has_complete_docs() {
    for rule in RULES {
        let meta = rule.meta();
        let docs = meta.docs();
        assert!(!docs.what.is_empty(), "{}: What it does", meta.id);
        assert!(!docs.why.is_empty(), "{}: Why is this bad?", meta.id);
        assert!(!docs.fix.is_empty(), "{}: How to fix", meta.id);
        assert!(!docs.references.is_empty(), "{}: References", meta.id);
        assert!(
            docs.examples.iter().any(|e| e.role == ExampleRole::Bad),
            "{}: bad example",
            meta.id
        );
        assert!(
            docs.examples.iter().any(|e| e.role == ExampleRole::Good),
            "{}: good example",
            meta.id
        );
    }
}

/// The examples in the docs are what users read first; they must behave as labelled.
#[test]
fn doc_examples_behave_as_labelled() {
    for rule in RULES {
        let meta = rule.meta();
        let docs = meta.docs();
        let context: Vec<_> = docs
            .examples
            .iter()
            .filter(|e| e.role == ExampleRole::Context)
            .collect();
        for example in docs
            .examples
            .iter()
            .filter(|e| e.role != ExampleRole::Context)
        {
            let mut sources = SourceSet::new();
            for c in &context {
                sources.add(SourceFile::new(c.path.clone(), c.code.clone(), c.kind));
            }
            let id = sources.add(SourceFile::new(
                example.path.clone(),
                example.code.clone(),
                example.kind,
            ));
            let report = crate::audit(&sources);
            let hits = report
                .findings
                .iter()
                .filter(|f| f.rule == meta.id && f.file == id)
                .count();
            match example.role {
                ExampleRole::Bad => assert!(
                    hits > 0,
                    "{}: bad example is silent:\n{}",
                    meta.id,
                    example.code
                ),
                _ => assert_eq!(
                    hits, 0,
                    "{}: good example fires:\n{}",
                    meta.id, example.code
                ),
            }
        }
    }
}

/// The app's compact docs (`build.rs`) say exactly what the full docs say in the sections
/// the app shows.
#[test]
fn compact_docs_match_the_full_docs() {
    assert_eq!(super::core_docs::CORE_DOCS.len(), RULES.len());
    for rule in RULES {
        let meta = rule.meta();
        let full = meta.docs();
        let (_, core) = super::core_docs::CORE_DOCS
            .iter()
            .find(|(id, _)| *id == meta.id)
            .unwrap();
        let compact = super::RuleDocs::parse(core);
        assert_eq!(compact.why, full.why, "{}", meta.id);
        assert_eq!(compact.fix, full.fix, "{}", meta.id);
        assert_eq!(compact.references, full.references, "{}", meta.id);
        assert!(
            compact.what.is_empty() && compact.examples.is_empty(),
            "{}",
            meta.id
        );
    }
}
