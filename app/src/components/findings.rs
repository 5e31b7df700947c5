use fpmaudit_engine::{Severity, rules};
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use super::severity_icon;
use crate::state::{FindingView, Group, GroupBy};

#[derive(Debug, PartialEq)]
pub struct FindingsListProps {
    pub findings: Vec<FindingView>,
    pub groups: Vec<Group>,
    pub group_by: GroupBy,
    pub min_severity: Severity,
    pub query: String,
    pub focus: Option<usize>,
    /// Embedded pages show findings without fix buttons.
    pub readonly: bool,
    pub on_focus: Callback<usize>,
    pub on_fix: Callback<FindingView>,
    pub on_group: Callback<GroupBy>,
    pub on_min_severity: Callback<Severity>,
    pub on_query: Callback<String>,
    /// Rules that explain a lateral path on the map, for a "show on map" link.
    pub map_rules: Vec<&'static str>,
    pub on_map: Callback<()>,
}

/// Markdown paragraphs (blank-line separated) as `<p>`s; line breaks inside one are spaces.
fn paragraphs(text: &str, class: &'static str) -> Html {
    text.split("\n\n")
        .map(|p| html! { <p class={class}>{ p.split_whitespace().collect::<Vec<_>>().join(" ") }</p> })
        .collect()
}

/// The rule's docs under a focused finding: why it matters, how to fix, references.
fn docs(rule: &str) -> Html {
    let Some(docs) = rules::find(rule).map(|r| r.meta().docs()) else {
        return Html::default();
    };
    html! {
        <div class="docs">
            <h4>{ "Why it matters" }</h4>
            { paragraphs(&docs.why, "why") }
            <h4>{ "How to fix" }</h4>
            { paragraphs(&docs.fix, "how") }
            if !docs.references.is_empty() {
                <h4>{ "References" }</h4>
                <ul class="refs">{ for docs.references.iter().map(|r| html! { <li>{ r }</li> }) }</ul>
            }
        </div>
    }
}

fn controls(props: &FindingsListProps) -> Html {
    let on_group = props.on_group.clone();
    let group = Callback::from(move |e: Event| {
        let select: HtmlSelectElement = e.target_unchecked_into();
        if let Some(g) = GroupBy::ALL
            .into_iter()
            .find(|g| g.label() == select.value())
        {
            on_group.emit(g);
        }
    });
    let on_min = props.on_min_severity.clone();
    let min = Callback::from(move |e: Event| {
        let select: HtmlSelectElement = e.target_unchecked_into();
        if let Some(s) = Severity::parse(&select.value()) {
            on_min.emit(s);
        }
    });
    let on_query = props.on_query.clone();
    let query = Callback::from(move |e: InputEvent| {
        let input: HtmlInputElement = e.target_unchecked_into();
        on_query.emit(input.value());
    });
    html! {
        <div class="finding-controls">
            <label>{ "Group by " }
                <select class="group-by" onchange={group}>
                    { for GroupBy::ALL.iter().map(|g| html! {
                        <option value={g.label()} selected={*g == props.group_by}>{ g.label() }</option>
                    }) }
                </select>
            </label>
            <label>{ "Show " }
                <select class="min-severity" onchange={min}>
                    { for Severity::ALL.iter().map(|s| html! {
                        <option value={s.as_str()} selected={*s == props.min_severity}>
                            { format!("{} and worse", s.as_str()) }
                        </option>
                    }) }
                </select>
            </label>
            <input class="query" type="search" placeholder="Filter: rule, text, path"
                aria-label="Filter findings" value={props.query.clone()} oninput={query} />
        </div>
    }
}

fn item(props: &FindingsListProps, index: usize, f: &FindingView) -> Html {
    let on_focus = props.on_focus.clone();
    let onclick = Callback::from(move |_| on_focus.emit(index));
    let severity = f.severity.as_str();
    let focused = props.focus == Some(index);
    let fix = f.fix.as_ref().filter(|_| !props.readonly).map(|fix| {
        let on_fix = props.on_fix.clone();
        let finding = f.clone();
        let apply = Callback::from(move |_| on_fix.emit(finding.clone()));
        let safety = if fix.safe { "safe" } else { "needs review" };
        html! {
            <div class="fix">
                <button class="apply-fix" onclick={apply}
                    aria-label={format!("Apply fix: {} ({safety})", fix.title)}>{ "Apply fix" }</button>
                <span class="fix-title">{ &fix.title }</span>
                <span class={classes!("safety", fix.safe.then_some("safe"))}>{ safety }</span>
            </div>
        }
    });
    html! {
        <li class={classes!("finding", severity, focused.then_some("focused"))} data-rule={f.rule}>
            <button class="finding-head" {onclick} aria-expanded={focused.to_string()}>
                <span class="sev" aria-label={format!("severity {severity}")}>
                    { severity_icon(f.severity) }{ " " }{ severity }
                </span>
                <span class="rule">{ f.rule }</span>
                <span class="title">{ f.title }</span>
            </button>
            <div class="where">{ format!("{}:{}:{}", f.path, f.line, f.column) }</div>
            <p class="message">{ &f.message }</p>
            { for fix }
            if props.map_rules.contains(&f.rule) && !props.readonly {
                <button class="show-on-map" onclick={props.on_map.reform(|_| ())}>{ "Show on the map" }</button>
            }
            if focused { { docs(f.rule) } }
        </li>
    }
}

/// A view function, not a component: no state of its own, and one less generic
/// component lifecycle in the bundle.
pub fn findings_list(props: &FindingsListProps) -> Html {
    if props.findings.is_empty() {
        return html! { <p class="empty">{ "No findings. Nice and tight." }</p> };
    }
    let shown: usize = props.groups.iter().map(|g| g.findings.len()).sum();
    html! {
        <div class="findings-panel">
            if !props.readonly { { controls(props) } }
            <p class="shown-count" role="status">
                { format!("{shown} of {} findings shown", props.findings.len()) }
            </p>
            { for props.groups.iter().map(|g| {
                let icon = g.severity.map_or("", severity_icon);
                html! {
                    <section class="finding-group">
                        <h3>{ icon }{ " " }{ &g.label }{ format!(" ({})", g.findings.len()) }</h3>
                        <ol class="findings">
                            { for g.findings.iter().filter_map(|&i| props.findings.get(i).map(|f| item(props, i, f))) }
                        </ol>
                    </section>
                }
            }) }
        </div>
    }
}
