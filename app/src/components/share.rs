use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::browser;
use crate::state::ShareDialog;

#[derive(Debug, PartialEq)]
pub struct ShareProps {
    pub dialog: ShareDialog,
    /// The page's address without fragment.
    pub base: String,
    /// Height for the embed snippet's iframe, from the content.
    pub embed_height: u32,
    pub on_redact: Callback<bool>,
    pub on_close: Callback<()>,
}

/// The share link and the embed snippet. Both carry the files in the fragment, which
/// browsers never send to a server; secrets are flagged first and can be redacted.
/// A view function, not a component: no state of its own, and one less generic
/// component lifecycle in the bundle.
pub fn share_dialog(props: &ShareProps) -> Html {
    let d = &props.dialog;
    let link = format!("{}{}", props.base, d.fragment);
    let snippet = format!(
        "<iframe src=\"{}{}\" title=\"fpmaudit example\" width=\"100%\" height=\"{}\" loading=\"lazy\" style=\"border:0\"></iframe>",
        props.base, d.embed_fragment, props.embed_height
    );
    let copy = |text: String| Callback::from(move |_| browser::copy_text(&text));
    let on_redact = props.on_redact.clone();
    let redact = Callback::from(move |e: Event| {
        let input: HtmlInputElement = e.target_unchecked_into();
        on_redact.emit(input.checked());
    });
    let close = {
        let on_close = props.on_close.clone();
        Callback::from(move |_| on_close.emit(()))
    };
    html! {
        <section class="share" role="dialog" aria-labelledby="share-title">
            <div class="dialog-head">
                <h2 id="share-title">{ "Share or embed" }</h2>
                <button class="close" onclick={close} aria-label="Close sharing">{ "×" }</button>
            </div>
            <p>{ "The link holds every file, compressed, after the #: it is never sent to any server, but whoever gets the link can read the files." }</p>
            if !d.secrets.is_empty() {
                <div class="secrets-warning" role="alert">
                    <p><strong>{ format!("⚠ {} values look like secrets:", d.secrets.len()) }</strong></p>
                    <ul>{ for d.secrets.iter().map(|s| html! { <li>{ format!("{} (line {})", s.key, s.line) }</li> }) }</ul>
                </div>
            }
            <label class="redact">
                <input type="checkbox" checked={d.redact} onchange={redact} />
                { " Replace secret values with REDACTED in the link" }
            </label>
            <label class="share-label">{ "Link" }
                <input class="share-link" type="text" readonly=true value={link.clone()} />
            </label>
            <button class="copy-link" onclick={copy(link)}>{ "Copy link" }</button>
            <label class="share-label">{ "Embed in documentation (read-only, sized to its content)" }
                <textarea class="embed-snippet" readonly=true rows="3" value={snippet.clone()} />
            </label>
            <button class="copy-embed" onclick={copy(snippet)}>{ "Copy snippet" }</button>
        </section>
    }
}
