use yew::prelude::*;

use crate::state::workshop::{Hint, Progress};

#[derive(Debug, PartialEq)]
pub struct WorkshopProps {
    pub title: &'static str,
    pub goal: &'static str,
    pub progress: Progress,
    pub start_exposure: Option<String>,
    pub exposure: Option<String>,
    pub hint: Option<Hint>,
    pub hints: usize,
    pub on_hint: Callback<()>,
    pub on_end: Callback<()>,
}

/// Progress through a scenario: what is left, the exposure, and a hint on request.
/// A view function, not a component: no state of its own, and one less generic
/// component lifecycle in the bundle.
pub fn workshop_panel(props: &WorkshopProps) -> Html {
    let hint = {
        let on_hint = props.on_hint.clone();
        Callback::from(move |_| on_hint.emit(()))
    };
    let end = {
        let on_end = props.on_end.clone();
        Callback::from(move |_| on_end.emit(()))
    };
    let p = &props.progress;
    html! {
        <section class="workshop" aria-label="Workshop">
            <h2>{ format!("Workshop: {}", props.title) }</h2>
            <p class="goal">{ props.goal }</p>
            <label class="progress-label">
                { format!("{}% of the serious findings fixed", p.percent) }
                <progress max="100" value={p.percent.to_string()} />
            </label>
            <p class="left">
                { format!("{} findings left, {} of them critical or high", p.findings, p.serious) }
                if let (Some(before), Some(now)) = (&props.start_exposure, &props.exposure) {
                    { format!("; exposure {before} → {now}") }
                }
            </p>
            if p.done {
                <p class="done" role="status">{ "✔ Nothing critical or high is left. Well done." }</p>
            }
            if props.hints > 0 {
                if let Some(h) = &props.hint {
                    <div class="hint" role="status">
                        <p><strong>{ format!("Next: {} {}", h.rule, h.title) }</strong>{ format!(" at {}:{}", h.path, h.line) }</p>
                        <p>{ &h.how_to_fix }</p>
                    </div>
                }
            }
            <button class="hint-button" onclick={hint}>{ "Hint" }</button>
            <button class="end-workshop" onclick={end}>{ "End workshop" }</button>
        </section>
    }
}
