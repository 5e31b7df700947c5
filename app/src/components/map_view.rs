use yew::prelude::*;

use crate::state::LateralView;

#[derive(Debug, Properties, PartialEq)]
pub struct MapViewProps {
    /// The engine's SVG, the same `fpmaudit map` writes; every text in it is XML-escaped by
    /// the engine (tested), so it is inserted as markup.
    pub svg: AttrValue,
    pub laterals: Vec<LateralView>,
}

#[component]
pub fn MapView(props: &MapViewProps) -> Html {
    let zoom = use_state(|| 100_u32);
    let step = |delta: i32| {
        let zoom = zoom.clone();
        Callback::from(move |_| {
            let next = i64::from(*zoom) + i64::from(delta);
            zoom.set(u32::try_from(next.clamp(40, 200)).unwrap_or(100));
        })
    };
    let style = format!("width: {}%;", *zoom);
    let svg = Html::from_html_unchecked(props.svg.clone());
    html! {
        <div class="map-view">
            <div class="map-tools" role="group" aria-label="Zoom">
                <button onclick={step(-20)} aria-label="Zoom out">{ "−" }</button>
                <span aria-live="polite">{ format!("{}%", *zoom) }</span>
                <button onclick={step(20)} aria-label="Zoom in">{ "+" }</button>
            </div>
            <div class="map-canvas" tabindex="0" aria-label="Trust-boundary map, scrollable">
                <div class="map-svg" style={style}>{ svg }</div>
            </div>
            <h3>{ format!("Lateral paths ({})", props.laterals.len()) }</h3>
            if props.laterals.is_empty() {
                <p class="empty">{ "No two apps meet: each has its own pool, user, socket and directories." }</p>
            } else {
                <ul class="laterals">
                    { for props.laterals.iter().map(|l| html! {
                        <li data-rule={l.rule}><span class="rule">{ l.rule }</span>{ " " }{ &l.summary }</li>
                    }) }
                </ul>
            }
        </div>
    }
}
