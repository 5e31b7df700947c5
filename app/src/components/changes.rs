use yew::prelude::*;

use crate::state::FileDiff;
use crate::state::rewrite::Rewrite;

#[derive(Debug, PartialEq)]
pub struct ChangesProps {
    pub diffs: Vec<FileDiff>,
    pub rewrite: Option<Rewrite>,
    pub on_preview: Callback<()>,
    /// Downloads one file: `(host path, text)`.
    pub on_download_file: Callback<(String, String)>,
    /// Downloads the whole hardened host as an archive.
    pub on_download_all: Callback<()>,
    /// Current texts by file index, for per-file downloads.
    pub texts: Vec<(String, String)>,
}

/// Unified diff, one line per element so added and removed lines are marked by their sign
/// as well as by colour.
fn diff_html(d: &FileDiff, download: Option<Callback<MouseEvent>>) -> Html {
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
            <h3>{ &d.path }
                if let Some(onclick) = download {
                    <button class="download-file" {onclick} aria-label={format!("Download {}", d.path)}>{ "Download" }</button>
                }
            </h3>
            <pre class="diff">{ for lines.into_iter().map(|(l, class)| html! {
                <span class={class}>{ l }{ "\n" }</span>
            }) }</pre>
        </section>
    }
}

/// A view function, not a component: no state of its own, and one less generic
/// component lifecycle in the bundle.
pub fn changes(props: &ChangesProps) -> Html {
    let download = |path: &str, text: &str| {
        let on = props.on_download_file.clone();
        let item = (path.to_string(), text.to_string());
        Some(Callback::from(move |_| on.emit(item.clone())))
    };
    let preview = {
        let on = props.on_preview.clone();
        Callback::from(move |_| on.emit(()))
    };
    let all = {
        let on = props.on_download_all.clone();
        Callback::from(move |_| on.emit(()))
    };
    html! {
        <div class="changes">
            <h3>{ "Your changes" }</h3>
            if props.diffs.is_empty() {
                <p class="empty">{ "No changes yet: apply a fix or edit a file." }</p>
            }
            { for props.diffs.iter().map(|d| {
                let text = props.texts.get(d.file).map_or("", |(_, t)| t.as_str());
                diff_html(d, download(&d.path, text))
            }) }
            <h3>{ "The full hardened rewrite" }</h3>
            <p>{ "Every fix, including those that need review, plus the generated files (split pools, provisioning script)." }</p>
            <button class="preview-rewrite" onclick={preview}>{ "Compute the rewrite" }</button>
            <button class="download-all" onclick={all}>{ "Download hardened host (.tar)" }</button>
            if let Some(r) = &props.rewrite {
                <div class="rewrite">
                    <p role="status">{ format!("{} fixes applied, {} need review; {} files generated.", r.applied, r.review.len(), r.generated.len()) }</p>
                    if !r.review.is_empty() {
                        <ul class="review">{ for r.review.iter().map(|t| html! { <li>{ t }</li> }) }</ul>
                    }
                    { for r.diffs.iter().map(|d| {
                        let text = r.files.get(d.file).map_or("", |(_, t)| t.as_str());
                        diff_html(d, download(&d.path, text))
                    }) }
                </div>
            }
        </div>
    }
}
