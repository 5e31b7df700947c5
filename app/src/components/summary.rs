use fpmaudit_engine::Severity;
use yew::prelude::*;

use super::severity_icon;
use crate::state::UnitView;

#[derive(Debug, PartialEq)]
pub struct SummaryProps {
    pub counts: Vec<(Severity, usize)>,
    pub units: Vec<UnitView>,
    /// Lateral paths between apps, as `RULE summary`.
    pub laterals: usize,
    pub stale: bool,
}

/// The host at a glance: findings per severity, the FPM unit's exposure, apps not separated.
/// A view function, not a component: no state of its own, and one less generic
/// component lifecycle in the bundle.
pub fn summary(props: &SummaryProps) -> Html {
    html! {
        <section class="summary" aria-label="Host summary">
            <ul class="counts">
                { for props.counts.iter().map(|(s, n)| html! {
                    <li class={classes!("count", s.as_str(), (*n == 0).then_some("zero"))}>
                        <span aria-hidden="true">{ severity_icon(*s) }</span>
                        { format!(" {n} {}", s.as_str()) }
                    </li>
                }) }
            </ul>
            <span class="exposure">
                { match props.units.first() {
                    Some(u) => format!("systemd exposure of {}: {} {}", u.name, u.score(), u.label),
                    None => "systemd exposure: add the FPM unit to score it".to_string(),
                } }
            </span>
            <span class={classes!("separation", (props.laterals > 0).then_some("risk"))}>
                { if props.laterals == 0 {
                    "apps separated".to_string()
                } else {
                    let places = if props.laterals == 1 { "place" } else { "places" };
                    format!("⚠ {} {places} where apps are not separated", props.laterals)
                } }
            </span>
            if props.stale { <span class="stale" role="status">{ "auditing…" }</span> }
        </section>
    }
}
