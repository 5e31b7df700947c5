use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::state::{LateralView, MapNodeView};

#[derive(Debug, Properties, PartialEq)]
pub struct MapViewProps {
    /// The engine's SVG, the same `fpmaudit map` writes; every text in it is XML-escaped by
    /// the engine (tested), so it is inserted as markup.
    pub svg: AttrValue,
    pub laterals: Vec<LateralView>,
    pub nodes: Vec<MapNodeView>,
    /// Shows a node's source line.
    pub on_reveal: Callback<(usize, u32)>,
    /// Shows the finding behind a lateral path.
    pub on_rule: Callback<&'static str>,
}

/// Zoom steps in percent; each has a CSS class (no inline styles under the page's CSP).
const ZOOMS: [u32; 9] = [40, 60, 80, 100, 120, 140, 160, 180, 200];

#[component]
pub fn MapView(props: &MapViewProps) -> Html {
    let zoom = use_state(|| 3_usize);
    let step = |delta: isize| {
        let zoom = zoom.clone();
        Callback::from(move |_| {
            let next = zoom.saturating_add_signed(delta).min(ZOOMS.len() - 1);
            zoom.set(next);
        })
    };
    let percent = ZOOMS.get(*zoom).copied().unwrap_or(100);
    // A click on a node of the picture opens its source line.
    let on_svg_click = {
        let nodes = props.nodes.clone();
        let on_reveal = props.on_reveal.clone();
        Callback::from(move |e: MouseEvent| {
            let id = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                .and_then(|el| el.closest("g.node").ok().flatten())
                .and_then(|g| g.get_attribute("data-id"));
            if let Some(origin) = id
                .and_then(|id| nodes.iter().find(|n| n.id == id))
                .and_then(|n| n.origin)
            {
                on_reveal.emit(origin);
            }
        })
    };
    let svg = Html::from_html_unchecked(props.svg.clone());
    html! {
        <div class="map-view">
            <div class="map-tools" role="group" aria-label="Zoom">
                <button onclick={step(-1)} aria-label="Zoom out">{ "−" }</button>
                <span aria-live="polite">{ format!("{percent}%") }</span>
                <button onclick={step(1)} aria-label="Zoom in">{ "+" }</button>
                <span class="hint">{ "Scroll to pan; click a box to see its line." }</span>
            </div>
            <div class="map-canvas" tabindex="0" aria-label="Trust-boundary map, scrollable">
                <div class={classes!("map-svg", format!("zoom-{percent}"))} onclick={on_svg_click}>{ svg }</div>
            </div>
            <h3>{ format!("Lateral paths ({})", props.laterals.len()) }</h3>
            if props.laterals.is_empty() {
                <p class="empty">{ "No two apps meet: each has its own pool, user, socket and directories." }</p>
            } else {
                <ul class="laterals">
                    { for props.laterals.iter().map(|l| {
                        let on_rule = props.on_rule.clone();
                        let rule = l.rule;
                        html! {
                            <li data-rule={l.rule}>
                                <button class="lateral" onclick={Callback::from(move |_| on_rule.emit(rule))}>
                                    <span class="rule">{ l.rule }</span>{ " " }{ &l.summary }
                                </button>
                            </li>
                        }
                    }) }
                </ul>
            }
            <details class="map-nodes">
                <summary>{ format!("Every box on the map ({})", props.nodes.len()) }</summary>
                <ul>
                    { for props.nodes.iter().map(|n| {
                        let on_reveal = props.on_reveal.clone();
                        let origin = n.origin;
                        let risk = (!n.risks.is_empty()).then(|| format!(" ⚠ {}", n.risks.join(", ")));
                        html! {
                            <li data-node={n.id.clone()}>
                                <button class="node-source" disabled={origin.is_none()}
                                    onclick={Callback::from(move |_| if let Some(o) = origin { on_reveal.emit(o) })}>
                                    { &n.label }
                                </button>
                                { format!(" {}", n.detail) }{ risk.unwrap_or_default() }
                            </li>
                        }
                    }) }
                </ul>
            </details>
        </div>
    }
}
