use yew::prelude::*;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileTab {
    pub path: String,
    pub kind: &'static str,
    pub findings: usize,
}

#[derive(Debug, Properties, PartialEq)]
pub struct FileTabsProps {
    pub tabs: Vec<FileTab>,
    pub selected: usize,
    pub on_select: Callback<usize>,
}

#[component]
pub fn FileTabs(props: &FileTabsProps) -> Html {
    html! {
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
                        <span class="tab-kind">{ tab.kind }</span>
                        if tab.findings > 0 {
                            <span class="badge" aria-label={format!("{} findings", tab.findings)}>{ tab.findings }</span>
                        }
                    </button>
                }
            }) }
        </div>
    }
}
