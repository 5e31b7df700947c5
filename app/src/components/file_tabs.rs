use fpmaudit_engine::FileKind;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileTab {
    pub path: String,
    pub kind: FileKind,
    pub findings: usize,
}

#[derive(Debug, PartialEq)]
pub struct FileTabsProps {
    pub tabs: Vec<FileTab>,
    pub selected: usize,
    pub readonly: bool,
    pub on_select: Callback<usize>,
    pub on_add: Callback<()>,
    pub on_remove: Callback<usize>,
    pub on_path: Callback<(usize, String)>,
    pub on_kind: Callback<(usize, FileKind)>,
}

/// The selected file's host path and kind, both editable: paths decide how files relate
/// (includes, which php.ini FPM reads), kinds decide the parser.
fn file_bar(props: &FileTabsProps, tab: &FileTab) -> Html {
    let selected = props.selected;
    let on_path = props.on_path.clone();
    let path = Callback::from(move |e: Event| {
        let input: HtmlInputElement = e.target_unchecked_into();
        on_path.emit((selected, input.value()));
    });
    let on_kind = props.on_kind.clone();
    let kind = Callback::from(move |e: Event| {
        let select: HtmlSelectElement = e.target_unchecked_into();
        if let Some(k) = FileKind::parse(&select.value()) {
            on_kind.emit((selected, k));
        }
    });
    let on_remove = props.on_remove.clone();
    let remove = Callback::from(move |_| on_remove.emit(selected));
    html! {
        <div class="file-bar">
            <label class="path-label">{ "Host path " }
                <input class="file-path" type="text" spellcheck="false" value={tab.path.clone()} onchange={path} />
            </label>
            <label>{ "Kind " }
                <select class="file-kind" onchange={kind}>
                    { for FileKind::ALL.iter().map(|k| html! {
                        <option value={k.as_str()} selected={*k == tab.kind}>{ k.as_str() }</option>
                    }) }
                </select>
            </label>
            <button class="remove-file" onclick={remove} aria-label={format!("Remove {}", tab.path)}>{ "Remove" }</button>
        </div>
    }
}

/// A view function, not a component: no state of its own, and one less generic
/// component lifecycle in the bundle.
pub fn file_tabs(props: &FileTabsProps) -> Html {
    let on_add = props.on_add.clone();
    let add = Callback::from(move |_| on_add.emit(()));
    html! {
        <>
            <div class="tabs" role="tablist" aria-label="Files">
                { for props.tabs.iter().enumerate().map(|(i, tab)| {
                    let on_select = props.on_select.clone();
                    let onclick = Callback::from(move |_| on_select.emit(i));
                    let name = tab.path.rsplit('/').next().unwrap_or(&tab.path).to_string();
                    let active = i == props.selected;
                    html! {
                        <button role="tab" class={classes!("tab", active.then_some("active"))}
                            aria-selected={active.to_string()} title={tab.path.clone()} {onclick}>
                            <span class="tab-name">{ name }</span>
                            <span class="tab-kind">{ tab.kind.as_str() }</span>
                            if tab.findings > 0 {
                                <span class="badge" aria-label={format!("{} findings", tab.findings)}>{ tab.findings }</span>
                            }
                        </button>
                    }
                }) }
                if !props.readonly {
                    <button class="add-file" onclick={add} aria-label="Add a file">{ "+" }</button>
                }
            </div>
            if !props.readonly {
                if let Some(tab) = props.tabs.get(props.selected) { { file_bar(props, tab) } }
            }
        </>
    }
}
