use yew::prelude::*;

use super::severity_icon;
use crate::state::FindingView;

#[derive(Debug, Properties, PartialEq)]
pub struct FindingsListProps {
    pub findings: Vec<FindingView>,
    pub on_jump: Callback<usize>,
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
                    </li>
                }
            }) }
        </ol>
    }
}
