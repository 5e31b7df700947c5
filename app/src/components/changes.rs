use yew::prelude::*;

use crate::state::FileDiff;

#[derive(Debug, Properties, PartialEq)]
pub struct ChangesProps {
    pub diffs: Vec<FileDiff>,
}

/// Unified diffs of every file changed since it was loaded, one line per element so added and
/// removed lines are marked by their sign as well as by colour.
#[component]
pub fn Changes(props: &ChangesProps) -> Html {
    if props.diffs.is_empty() {
        return html! { <p class="empty">{ "No changes yet: apply a fix or edit a file." }</p> };
    }
    html! {
        <div class="changes">
            { for props.diffs.iter().map(|d| {
                let lines: Vec<(String, &'static str)> = d
                    .diff
                    .lines()
                    .map(|l| {
                        let class = match l.as_bytes().first() {
                            Some(b'+') if !l.starts_with("+++") => "add",
                            Some(b'-') if !l.starts_with("---") => "del",
                            Some(b'@') => "hunk",
                            _ => "ctx",
                        };
                        (l.to_string(), class)
                    })
                    .collect();
                html! {
                    <section class="file-diff" data-path={d.path.clone()}>
                        <h3>{ &d.path }</h3>
                        <pre class="diff">{ for lines.into_iter().map(|(l, class)| html! {
                            <span class={class}>{ l }{ "\n" }</span>
                        }) }</pre>
                    </section>
                }
            }) }
        </div>
    }
}
