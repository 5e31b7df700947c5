//! The fpmaudit playground: paste a host's configs, see what weakens isolation. Everything
//! runs in the page; nothing is sent anywhere.

pub mod components;
pub mod examples;
pub mod state;

use yew::prelude::*;

use components::editor::Editor;
use components::file_tabs::{FileTab, FileTabs};
use components::findings::FindingsList;
use state::{Action, AppState};

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
    let file_findings: Vec<_> = state
        .findings
        .iter()
        .filter(|f| f.file == selected)
        .cloned()
        .collect();
    let (path, text) = state
        .selected_file()
        .map(|f| (f.path.clone(), f.text.clone()))
        .unwrap_or_default();
    let total = state.findings.len();
    let example = &examples::SHARED_HOSTING;

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
                <section class="results" aria-label="Findings">
                    <h2>{ format!("Findings ({total})") }</h2>
                    <FindingsList findings={state.findings.clone()} on_jump={on_jump} />
                </section>
            </main>
        </div>
    }
}

/// Mounts the app on the page's body.
pub fn run() {
    yew::Renderer::<App>::new().render();
}
