//! The fpmaudit playground: paste a host's configs, see what weakens isolation. Everything
//! runs in the page; nothing is sent anywhere.

pub mod components;
pub mod examples;
pub mod state;

use yew::prelude::*;

use components::changes::Changes;
use components::editor::Editor;
use components::file_tabs::{FileTab, FileTabs};
use components::findings::FindingsList;
use components::map_view::MapView;
use state::{Action, AppState, FindingView, View};

/// The whole page.
#[component]
pub fn App() -> Html {
    let state = use_reducer(|| AppState::from_example(&examples::SHARED_HOSTING));

    let tabs: Vec<FileTab> = state
        .files
        .iter()
        .enumerate()
        .map(|(i, f)| FileTab {
            path: f.path.clone(),
            kind: f.kind.as_str(),
            findings: state.count_for(i),
        })
        .collect();
    let on_select = {
        let state = state.clone();
        Callback::from(move |i: usize| state.dispatch(Action::Select(i)))
    };
    let on_jump = {
        let state = state.clone();
        Callback::from(move |file: usize| state.dispatch(Action::Jump { file }))
    };
    let selected = state.selected;
    let on_input = {
        let state = state.clone();
        Callback::from(move |text: String| {
            state.dispatch(Action::Edit {
                file: selected,
                text,
            });
        })
    };
    let on_fix = {
        let state = state.clone();
        Callback::from(move |f: FindingView| {
            state.dispatch(Action::ApplyFix {
                file: f.file,
                rule: f.rule,
                start: f.start,
            });
        })
    };
    let dispatch = |action: Action| {
        let state = state.clone();
        Callback::from(move |_: MouseEvent| state.dispatch(action.clone()))
    };
    let file_findings: Vec<_> = state
        .findings()
        .iter()
        .filter(|f| f.file == selected)
        .cloned()
        .collect();
    let (path, text) = state
        .selected_file()
        .map(|f| (f.path.clone(), f.text.clone()))
        .unwrap_or_default();
    let total = state.findings().len();
    let example = &examples::SHARED_HOSTING;
    let safe_fixes = state.safe_fixes();
    let changed = state.derived.diffs.len();
    let view_tab = |view: View, label: String| {
        let active = state.view == view;
        html! {
            <button role="tab" class={classes!("view-tab", active.then_some("active"))}
                aria-selected={active.to_string()} onclick={dispatch(Action::Show(view))}>{ label }</button>
        }
    };
    let panel = match state.view {
        View::Findings => html! {
            <FindingsList findings={state.findings().to_vec()} on_jump={on_jump} on_fix={on_fix} />
        },
        View::Changes => html! { <Changes diffs={state.derived.diffs.clone()} /> },
        View::Map => html! {
            <MapView svg={AttrValue::from(state.derived.map_svg.clone())}
                laterals={state.derived.laterals.clone()} />
        },
    };

    html! {
        <div class="app">
            <header class="topbar">
                <h1>{ "fpmaudit" }</h1>
                <span class="tagline">{ "PHP-FPM isolation audit — runs entirely in your browser" }</span>
                <span class="version">{ format!("engine {}", fpmaudit_engine::VERSION) }</span>
            </header>
            <p class="story"><strong>{ example.title }</strong>{ ": " }{ example.story }</p>
            <main class="workspace">
                <section class="files" aria-label="Configuration files">
                    <FileTabs tabs={tabs} selected={selected} on_select={on_select} />
                    <Editor path={path} text={text} findings={file_findings} on_input={on_input} />
                </section>
                <section class="results" aria-label="Results">
                    <div class="views" role="tablist" aria-label="Results">
                        { view_tab(View::Findings, format!("Findings ({total})")) }
                        { view_tab(View::Changes, format!("Changes ({changed})")) }
                        { view_tab(View::Map, format!("Map ({})", state.derived.laterals.len())) }
                    </div>
                    <div class="actions">
                        <button class="apply-all-safe" disabled={safe_fixes == 0}
                            onclick={dispatch(Action::ApplyAllSafe)}>
                            { format!("Apply all safe fixes ({safe_fixes})") }
                        </button>
                        <button class="undo" disabled={state.undo.is_empty()}
                            onclick={dispatch(Action::Undo)}>{ "Undo fix" }</button>
                        if let Some(notice) = &state.notice {
                            <span class="notice" role="status">{ notice }</span>
                        }
                    </div>
                    { panel }
                </section>
            </main>
        </div>
    }
}

/// Mounts the app on the page's body.
pub fn run() {
    yew::Renderer::<App>::new().render();
}
