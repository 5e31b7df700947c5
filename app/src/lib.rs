//! The fpmaudit playground: paste a host's configs, see what weakens isolation. Everything
//! runs in the page; nothing is sent anywhere.

pub mod browser;
pub mod components;
pub mod examples;
pub mod highlight;
pub mod state;

use fpmaudit_engine::FileKind;
use fpmaudit_engine::model::systemd::exposure::score_text;
use gloo_timers::callback::Timeout;
use yew::prelude::*;

use components::editor::Editor;
use components::file_tabs::FileTab;

use components::import::ImportPanel;
use components::map_view::MapView;

use state::{Action, AppState, FindingView, View, archive, grouping, share, workshop};

/// Milliseconds of quiet before a large input is re-audited.
const REAUDIT_DELAY_MS: u32 = 400;

/// A callback that dispatches `make(value)`.
fn send<T: 'static>(
    state: &UseReducerHandle<AppState>,
    make: impl Fn(T) -> Action + 'static,
) -> Callback<T> {
    let state = state.clone();
    Callback::from(move |value: T| state.dispatch(make(value)))
}

/// A click handler that dispatches one fixed action.
fn on_click(state: &UseReducerHandle<AppState>, action: Action) -> Callback<MouseEvent> {
    let state = state.clone();
    Callback::from(move |_| state.dispatch(action.clone()))
}

/// Height of the embed snippet's iframe: enough for the selected file or its findings.
fn embed_height(state: &AppState) -> u32 {
    let lines = state.selected_file().map_or(0, |f| f.text.lines().count());
    let findings = state.findings().len();
    let rows = u32::try_from(lines.max(findings * 4)).unwrap_or(u32::MAX);
    rows.saturating_mul(20).saturating_add(160).clamp(320, 900)
}

/// The whole page.
#[component]
pub fn App() -> Html {
    let state = use_reducer(|| AppState::from_example(&examples::SHARED_HOSTING));
    let gallery_open = use_state(|| false);
    let share_base = use_state(String::new);
    let theme = use_state(|| None::<&'static str>);

    // A share link, an embed or a workshop link: read the fragment once, at start.
    {
        let state = state.clone();
        use_effect_with((), move |()| {
            let raw = browser::fragment();
            if raw.len() > 1 {
                state.dispatch(Action::Restore(share::parse_fragment(&raw)));
            }
        });
    }
    // Large inputs re-audit once typing pauses.
    {
        let state = state.clone();
        let key = (state.stale, state.input_size());
        use_effect_with(key, move |(stale, _)| {
            let timer = stale
                .then(|| Timeout::new(REAUDIT_DELAY_MS, move || state.dispatch(Action::Reaudit)));
            move || drop(timer)
        });
    }
    {
        let embed = state.embed;
        use_effect(move || {
            if embed {
                browser::post_height();
            }
        });
    }

    let selected = state.selected;
    let tabs: Vec<FileTab> = state
        .files
        .iter()
        .enumerate()
        .map(|(i, f)| FileTab {
            path: f.path.clone(),
            kind: f.kind,
            findings: state.count_for(i),
        })
        .collect();
    let file_findings: Vec<FindingView> = state
        .findings()
        .iter()
        .filter(|f| f.file == selected)
        .cloned()
        .collect();
    let (path, kind, text) = state
        .selected_file()
        .map_or((String::new(), FileKind::Unknown, String::new()), |f| {
            (f.path.clone(), f.kind, f.text.clone())
        });
    let cursor = state
        .cursor
        .filter(|(file, _, _)| *file == selected)
        .map(|(_, a, b)| (a, b));
    let focused = state.focus.and_then(|i| state.findings().get(i));
    let status = focused.map(|f| {
        format!(
            "{} {} line {}: {}",
            f.severity.as_str(),
            f.rule,
            f.line,
            f.message
        )
    });
    let groups = grouping::groups(state.findings(), state.group_by, &state.filter);
    let counts = grouping::counts(state.findings()).to_vec();
    let safe_fixes = state.safe_fixes();
    let example = state.example.and_then(examples::find);
    let on_input = send(&state, move |text: String| Action::Edit {
        file: selected,
        text,
    });

    let findings = html! {
        { components::findings::findings_list(&components::findings::FindingsListProps { findings: state.findings().to_vec(), groups, group_by: state.group_by, min_severity: state.filter.min_severity, query: state.filter.query.clone(), focus: state.focus, readonly: state.embed, on_focus: send(&state, Action::Focus), on_fix: send(&state, |f: FindingView| Action::ApplyFix { file: f.file, rule: f.rule, start: f.start }), on_group: send(&state, Action::Group), on_min_severity: send(&state, Action::MinSeverity), on_query: send(&state, Action::Query), map_rules: state.derived.laterals.iter().map(|l| l.rule).collect::<Vec<_>>(), on_map: send(&state, |()| Action::Show(View::Map)) }) }
    };
    let editor = html! {
        <Editor path={path} kind={kind} text={text} findings={file_findings} cursor={cursor}
            status={status} readonly={state.embed} on_input={on_input} />
    };
    let file_tabs = html! {
        { components::file_tabs::file_tabs(&components::file_tabs::FileTabsProps { tabs, selected, readonly: state.embed, on_select: send(&state, Action::Select), on_add: send(&state, |()| Action::AddFile), on_remove: send(&state, Action::RemoveFile), on_path: send(&state, |(file, path)| Action::SetPath { file, path }), on_kind: send(&state, |(file, kind)| Action::SetKind { file, kind }) }) }
    };

    if state.embed {
        let open = format!("./{}", share::fragment(&state.files, selected));
        return html! {
            <div class="app embed">
                <header class="topbar">
                    <h1>{ "fpmaudit" }</h1>
                    <span class="tagline">{ example.map_or("A PHP-FPM host", |e| e.title) }</span>
                    <a class="open-playground" href={open} target="_blank" rel="noopener">{ "Open in the playground ↗" }</a>
                </header>
                { components::summary::summary(&components::summary::SummaryProps { counts, units: state.derived.units.clone(), laterals: state.derived.laterals.len(), stale: state.stale }) }
                <main class="workspace">
                    <section class="files" aria-label="Configuration files">{ file_tabs }{ editor }</section>
                    <section class="results" aria-label="Findings">{ findings }</section>
                </main>
            </div>
        };
    }

    let view_tab = |view: View, label: String| {
        let active = state.view == view;
        html! {
            <button role="tab" class={classes!("view-tab", active.then_some("active"))}
                aria-selected={active.to_string()} onclick={on_click(&state, Action::Show(view))}>{ label }</button>
        }
    };
    let texts: Vec<(String, String)> = state
        .files
        .iter()
        .map(|f| (f.path.clone(), f.text.clone()))
        .collect();
    let download_all = {
        let files = state.files.clone();
        // The rewrite already shown (dropped whenever a file changes) is the one to download.
        let shown = state.rewrite.clone();
        Callback::from(move |()| {
            let rewrite = shown
                .clone()
                .unwrap_or_else(|| state::rewrite::rewrite(&files));
            browser::download(
                "fpmaudit-hardened.tar",
                &archive::tar(&rewrite.files),
                "application/x-tar",
            );
        })
    };
    let download_file = Callback::from(|(path, text): (String, String)| {
        let name = path.rsplit('/').next().unwrap_or("file").to_string();
        browser::download(&name, text.as_bytes(), "text/plain");
    });
    let panel = match state.view {
        View::Findings => findings,
        View::Changes => html! {
            { components::changes::changes(&components::changes::ChangesProps { diffs: state.derived.diffs.clone(), rewrite: state.rewrite.clone(), texts, on_preview: send(&state, |()| Action::PreviewRewrite), on_download_file: download_file, on_download_all: download_all }) }
        },
        View::Map => html! {
            <MapView svg={AttrValue::from(state.derived.map_svg.clone())}
                laterals={state.derived.laterals.clone()} nodes={state.derived.map_nodes.clone()}
                on_reveal={send(&state, |(file, line)| Action::Reveal { file, line })}
                on_rule={send(&state, Action::FocusRule)} />
        },
    };
    let workshop_panel = state.workshop.as_ref().map(|w| {
        let progress = w.progress(&state);
        html! {
            { components::workshop::workshop_panel(&components::workshop::WorkshopProps { title: w.title, goal: examples::find(w.example).map_or("", |e| e.goal), progress: progress.clone(), start_exposure: w.start_exposure.map(score_text), exposure: progress.exposure.map(score_text), hint: workshop::next_hint(&state), hints: w.hints, on_hint: send(&state, |()| Action::Hint), on_end: send(&state, |()| Action::EndWorkshop) }) }
        }
    });
    let toggle_gallery = {
        let gallery_open = gallery_open.clone();
        Callback::from(move |_| gallery_open.set(!*gallery_open))
    };
    let open_share = {
        let state = state.clone();
        let share_base = share_base.clone();
        Callback::from(move |_| {
            share_base.set(browser::base_url());
            state.dispatch(Action::OpenShare);
        })
    };
    let cycle_theme = {
        let theme = theme.clone();
        Callback::from(move |_| {
            let next = match *theme {
                None => Some("dark"),
                Some("dark") => Some("light"),
                Some(_) => None,
            };
            browser::set_theme(next);
            theme.set(next);
        })
    };
    let gallery = gallery_open.then(|| {
        let close = gallery_open.clone();
        let open = gallery_open.clone();
        let start = gallery_open.clone();
        let (s1, s2) = (state.clone(), state.clone());
        html! {
            { components::gallery::gallery(&components::gallery::GalleryProps { current: state.example, on_open: Callback::from(move |id| { s1.dispatch(Action::LoadExample(id)); open.set(false); }), on_workshop: Callback::from(move |id| { s2.dispatch(Action::StartWorkshop(id)); start.set(false); }), on_close: Callback::from(move |()| close.set(false)) }) }
        }
    });
    let share_dialog = state.share.clone().map(|dialog| html! {
        { components::share::share_dialog(&components::share::ShareProps { dialog, base: (*share_base).clone(), embed_height: embed_height(&state), on_redact: send(&state, Action::SetRedact), on_close: send(&state, |()| Action::CloseShare) }) }
    });
    // F8 / Shift+F8 step through findings from anywhere, as in code editors.
    let onkeydown = {
        let state = state.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "F8" {
                e.prevent_default();
                state.dispatch(if e.shift_key() {
                    Action::PrevFinding
                } else {
                    Action::NextFinding
                });
            }
        })
    };
    let ondragover = Callback::from(|e: DragEvent| e.prevent_default());
    let ondrop = {
        let import = send(&state, Action::Import);
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            if let Some(list) = e.data_transfer().and_then(|d| d.files()) {
                browser::read_files(&list, import.clone());
            }
        })
    };
    let theme_label = format!("Theme: {}", theme.unwrap_or("system"));

    html! {
        <div class="app" {onkeydown} {ondragover} {ondrop}>
            <header class="topbar">
                <h1>{ "fpmaudit" }</h1>
                <span class="tagline">{ "PHP-FPM isolation audit — runs entirely in your browser" }</span>
                <nav class="top-actions" aria-label="Playground">
                    <button class="examples-button" onclick={toggle_gallery} aria-expanded={gallery_open.to_string()}>{ "Examples & workshops" }</button>
                    <button class="share-button" onclick={open_share}>{ "Share / embed" }</button>
                    <button class="theme-button" onclick={cycle_theme}>{ theme_label }</button>
                </nav>
                <span class="version">{ format!("engine {}", fpmaudit_engine::VERSION) }</span>
            </header>
            { for gallery }
            { for share_dialog }
            { components::summary::summary(&components::summary::SummaryProps { counts, units: state.derived.units.clone(), laterals: state.derived.laterals.len(), stale: state.stale }) }
            if !state.derived.notes.is_empty() {
                <details class="notes">
                    <summary>{ format!("Notes ({})", state.derived.notes.len()) }</summary>
                    <ul>{ for state.derived.notes.iter().map(|n| html! {
                        <li>{ n.place.as_ref().map(|p| format!("{p}: ")).unwrap_or_default() }{ &n.message }</li>
                    }) }</ul>
                </details>
            }
            if let Some(e) = example {
                <p class="story"><strong>{ e.title }</strong>{ ": " }{ e.story }</p>
            }
            { for workshop_panel }
            <main class="workspace">
                <section class="files" aria-label="Configuration files">
                    { file_tabs }
                    { editor }
                    <ImportPanel on_import={send(&state, Action::Import)}
                        snapshot_command={state.derived.snapshot_command.clone()} />
                </section>
                <section class="results" aria-label="Results">
                    <div class="views" role="tablist" aria-label="Results">
                        { view_tab(View::Findings, format!("Findings ({})", state.findings().len())) }
                        { view_tab(View::Changes, format!("Changes ({})", state.derived.diffs.len())) }
                        { view_tab(View::Map, format!("Map ({})", state.derived.laterals.len())) }
                    </div>
                    <div class="actions">
                        <button class="prev-finding" onclick={on_click(&state, Action::PrevFinding)} aria-label="Previous finding (Shift+F8)">{ "↑" }</button>
                        <button class="next-finding" onclick={on_click(&state, Action::NextFinding)} aria-label="Next finding (F8)">{ "↓" }</button>
                        <button class="apply-all-safe" disabled={safe_fixes == 0}
                            onclick={on_click(&state, Action::ApplyAllSafe)}>
                            { format!("Apply all safe fixes ({safe_fixes})") }
                        </button>
                        <button class="undo" disabled={state.undo.is_empty()}
                            onclick={on_click(&state, Action::Undo)}>{ "Undo fix" }</button>
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
