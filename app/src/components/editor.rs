use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

use super::severity_icon;
use crate::state::FindingView;

#[derive(Debug, Properties, PartialEq)]
pub struct EditorProps {
    pub path: String,
    pub text: String,
    /// Findings of this file only.
    pub findings: Vec<FindingView>,
    pub on_input: Callback<String>,
}

/// A plain textarea with a gutter of line numbers and finding markers.
#[component]
pub fn Editor(props: &EditorProps) -> Html {
    let gutter = use_node_ref();
    let oninput = {
        let on_input = props.on_input.clone();
        Callback::from(move |e: InputEvent| {
            let area: HtmlTextAreaElement = e.target_unchecked_into();
            on_input.emit(area.value());
        })
    };
    let onscroll = {
        let gutter = gutter.clone();
        Callback::from(move |e: Event| {
            let area: HtmlTextAreaElement = e.target_unchecked_into();
            if let Some(g) = gutter.cast::<web_sys::Element>() {
                g.set_scroll_top(area.scroll_top());
            }
        })
    };
    let line_count = props.text.split('\n').count();
    let rows: Vec<Html> = (1..=line_count)
        .map(|n| {
            let line = u32::try_from(n).unwrap_or(u32::MAX);
            let here: Vec<&FindingView> = props.findings.iter().filter(|f| f.line == line).collect();
            match here.iter().map(|f| f.severity).min() {
                Some(worst) => {
                    let title = here
                        .iter()
                        .map(|f| format!("{} {}: {}", f.rule, f.severity.as_str(), f.message))
                        .collect::<Vec<_>>()
                        .join("\n");
                    html! {
                        <div class={classes!("gutter-line", "marked", worst.as_str())} title={title}>
                            <span class="marker" aria-hidden="true">{ severity_icon(worst) }</span>{ n }
                        </div>
                    }
                }
                None => html! { <div class="gutter-line">{ n }</div> },
            }
        })
        .collect();
    html! {
        <div class="editor">
            <div class="gutter" ref={gutter} aria-hidden="true">{ for rows }</div>
            <textarea class="code" spellcheck="false" autocapitalize="off" wrap="off"
                aria-label={format!("Contents of {}", props.path)}
                value={props.text.clone()} {oninput} {onscroll} />
        </div>
    }
}
