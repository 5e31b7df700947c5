use yew::prelude::*;

use crate::examples;

#[derive(Debug, PartialEq)]
pub struct GalleryProps {
    pub current: Option<&'static str>,
    pub on_open: Callback<&'static str>,
    pub on_workshop: Callback<&'static str>,
    pub on_close: Callback<()>,
}

/// The example hosts, each with its story and two ways in: look, or fix it as a workshop.
/// A view function, not a component: no state of its own, and one less generic
/// component lifecycle in the bundle.
pub fn gallery(props: &GalleryProps) -> Html {
    let close = {
        let on_close = props.on_close.clone();
        Callback::from(move |_| on_close.emit(()))
    };
    html! {
        <section class="gallery" role="dialog" aria-modal="false" aria-labelledby="gallery-title">
            <div class="dialog-head">
                <h2 id="gallery-title">{ "Examples" }</h2>
                <button class="close" onclick={close} aria-label="Close examples">{ "×" }</button>
            </div>
            <ul class="cards">
                { for examples::ALL.iter().map(|e| {
                    let id = e.id;
                    let on_open = props.on_open.clone();
                    let on_workshop = props.on_workshop.clone();
                    let current = props.current == Some(id);
                    html! {
                        <li class={classes!("card", current.then_some("current"))} data-example={id}>
                            <h3>{ e.title }</h3>
                            <p>{ e.story }</p>
                            <p class="goal">{ e.goal }</p>
                            <button class="open-example" onclick={Callback::from(move |_| on_open.emit(id))}>{ "Open" }</button>
                            <button class="start-workshop" onclick={Callback::from(move |_| on_workshop.emit(id))}>{ "Workshop" }</button>
                        </li>
                    }
                }) }
            </ul>
        </section>
    }
}
