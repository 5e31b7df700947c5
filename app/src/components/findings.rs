use yew::prelude::*;

use super::severity_icon;
use crate::state::FindingView;

#[derive(Debug, Properties, PartialEq)]
pub struct FindingsListProps {
    pub findings: Vec<FindingView>,
    pub on_jump: Callback<usize>,
    /// Applies the fix of this finding.
    pub on_fix: Callback<FindingView>,
}

#[component]
pub fn FindingsList(props: &FindingsListProps) -> Html {
    if props.findings.is_empty() {
        return html! { <p class="empty">{ "No findings. Nice and tight." }</p> };
    }
    html! {
        <ol class="findings">
            { for props.findings.iter().map(|f| {
                let on_jump = props.on_jump.clone();
                let file = f.file;
                let onclick = Callback::from(move |_| on_jump.emit(file));
                let severity = f.severity.as_str();
                let fix = f.fix.as_ref().map(|fix| {
                    let on_fix = props.on_fix.clone();
                    let finding = f.clone();
                    let apply = Callback::from(move |_| on_fix.emit(finding.clone()));
                    let safety = if fix.safe { "safe" } else { "needs review" };
                    html! {
                        <div class="fix">
                            <button class="apply-fix" onclick={apply}
                                aria-label={format!("Apply fix: {} ({safety})", fix.title)}>
                                { "Apply fix" }
                            </button>
                            <span class="fix-title">{ &fix.title }</span>
                            <span class={classes!("safety", fix.safe.then_some("safe"))}>{ safety }</span>
                        </div>
                    }
                });
                html! {
                    <li class={classes!("finding", severity)} data-rule={f.rule}>
                        <button class="finding-head" {onclick}>
                            <span class="sev" aria-label={format!("severity {severity}")}>
                                { severity_icon(f.severity) }{ " " }{ severity }
                            </span>
                            <span class="rule">{ f.rule }</span>
                            <span class="title">{ f.title }</span>
                        </button>
                        <div class="where">{ format!("{}:{}:{}", f.path, f.line, f.column) }</div>
                        <p class="message">{ &f.message }</p>
                        { for fix }
                    </li>
                }
            }) }
        </ol>
    }
}
