use web_sys::{HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

use crate::browser;
use crate::state::import::COLLECT_COMMAND;

#[derive(Debug, Properties, PartialEq)]
pub struct ImportProps {
    /// `(name, text)` pairs: a pasted dump, chosen files or a chosen folder.
    pub on_import: Callback<Vec<(String, String)>>,
    /// The permissions-snapshot command for the trees the current files name.
    pub snapshot_command: String,
}

/// How configs get in: the command that gathers them, a paste box that splits dumps, file and
/// folder pickers (dropping files anywhere on the page works too).
#[component]
pub fn ImportPanel(props: &ImportProps) -> Html {
    let paste = use_node_ref();
    let copied = use_state(|| false);
    let copy = {
        let copied = copied.clone();
        Callback::from(move |_| {
            browser::copy_text(COLLECT_COMMAND);
            copied.set(true);
        })
    };
    let copy_snapshot = {
        let command = props.snapshot_command.clone();
        Callback::from(move |_| browser::copy_text(&command))
    };
    let import_paste = {
        let paste = paste.clone();
        let on_import = props.on_import.clone();
        Callback::from(move |_| {
            if let Some(area) = paste.cast::<HtmlTextAreaElement>() {
                let text = area.value();
                if !text.trim().is_empty() {
                    on_import.emit(vec![("pasted.conf".to_string(), text)]);
                    area.set_value("");
                }
            }
        })
    };
    let pick = {
        let on_import = props.on_import.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            if let Some(list) = input.files() {
                browser::read_files(&list, on_import.clone());
            }
            input.set_value("");
        })
    };
    html! {
        <details class="import">
            <summary>{ "Add your host's files" }</summary>
            <p>{ "Run this on the server (it only reads), then paste its output below:" }</p>
            <div class="command">
                <code class="collect-command">{ COLLECT_COMMAND }</code>
                <button class="copy" onclick={copy}>{ if *copied { "Copied" } else { "Copy" } }</button>
            </div>
            <p>{ "Modes, owners and group memberships decide the filesystem rules (FS-001–006, FPM-102, FPM-310). This command lists them for the trees your files name, plus the user and group databases; run it as root and paste its output too:" }</p>
            <div class="command">
                <code class="snapshot-command">{ props.snapshot_command.clone() }</code>
                <button class="copy" onclick={copy_snapshot}>{ "Copy" }</button>
            </div>
            <label class="paste-label" for="paste-box">
                { "Paste files or a dump (nginx -T, systemctl cat, tail -n +1 output):" }
            </label>
            <textarea id="paste-box" class="paste" ref={paste} spellcheck="false" rows="4" />
            <div class="import-actions">
                <button class="import-paste" onclick={import_paste}>{ "Import pasted text" }</button>
                <label class="file-pick">{ "Files… " }
                    <input type="file" multiple=true onchange={pick.clone()} />
                </label>
                <label class="file-pick">{ "Folder… " }
                    <input type="file" webkitdirectory=true multiple=true onchange={pick} />
                </label>
            </div>
            <p class="hint">{ "Nothing leaves this page: files are read and audited in your browser. You can also drop files anywhere here." }</p>
        </details>
    }
}
