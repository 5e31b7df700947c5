use fpmaudit_engine::FileKind;
use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

use super::severity_icon;
use crate::highlight::{MAX_COLOURED_BYTES, Mark, Segment, highlight};
use crate::state::FindingView;

/// Above this many lines the gutter is one text block (no per-line markers): a DOM node per
/// line of a 100,000-line paste would stall the page.
const MAX_MARKED_LINES: usize = 5_000;

#[derive(Debug, Properties, PartialEq)]
pub struct EditorProps {
    pub path: String,
    pub kind: FileKind,
    pub text: String,
    /// Findings of this file only.
    pub findings: Vec<FindingView>,
    /// Lines to select and scroll to (first, last), 1-based.
    pub cursor: Option<(u32, u32)>,
    /// The focused finding's text, announced under the editor.
    pub status: Option<String>,
    #[prop_or_default]
    pub readonly: bool,
    pub on_input: Callback<String>,
}

/// UTF-16 offsets of the start of `first` and the end of `last` (the textarea counts UTF-16).
fn line_span_utf16(text: &str, first: u32, last: u32) -> (u32, u32) {
    let mut start = 0_u32;
    let mut end = 0_u32;
    let mut offset = 0_u32;
    for (i, line) in text.split('\n').enumerate() {
        let n = u32::try_from(i + 1).unwrap_or(u32::MAX);
        let len = u32::try_from(line.encode_utf16().count()).unwrap_or(u32::MAX);
        if n == first {
            start = offset;
        }
        if n == last {
            end = offset.saturating_add(len);
            break;
        }
        offset = offset.saturating_add(len).saturating_add(1);
    }
    (start, end.max(start))
}

fn segment_html(seg: &Segment) -> Html {
    let mark = seg.mark.map(|m| classes!("mark", m.as_str()));
    html! { <span class={classes!(seg.class, mark)}>{ seg.text.clone() }</span> }
}

/// A textarea over a coloured copy of its text, with a gutter of line numbers and markers.
#[component]
pub fn Editor(props: &EditorProps) -> Html {
    let area = use_node_ref();
    let gutter = use_node_ref();
    let overlay = use_node_ref();
    {
        let area = area.clone();
        let text = props.text.clone();
        use_effect_with(props.cursor, move |cursor| {
            if let (Some((first, last)), Some(el)) = (cursor, area.cast::<HtmlTextAreaElement>()) {
                let (start, end) = line_span_utf16(&text, *first, *last);
                let _ = el.focus();
                let _ = el.set_selection_range(start, end);
                // Centre the line: the textarea's line height is fixed by the stylesheet.
                let line_px = 20;
                let top = i32::try_from(first.saturating_sub(5)).unwrap_or(0) * line_px;
                el.set_scroll_top(top);
            }
        });
    }
    let oninput = {
        let on_input = props.on_input.clone();
        Callback::from(move |e: InputEvent| {
            let area: HtmlTextAreaElement = e.target_unchecked_into();
            on_input.emit(area.value());
        })
    };
    let onscroll = {
        let gutter = gutter.clone();
        let overlay = overlay.clone();
        Callback::from(move |e: Event| {
            let area: HtmlTextAreaElement = e.target_unchecked_into();
            for el in [
                gutter.cast::<web_sys::Element>(),
                overlay.cast::<web_sys::Element>(),
            ]
            .into_iter()
            .flatten()
            {
                el.set_scroll_top(area.scroll_top());
                el.set_scroll_left(area.scroll_left());
            }
        })
    };
    let line_count = props.text.split('\n').count();
    let marks: Vec<Mark> = props
        .findings
        .iter()
        .map(|f| Mark {
            line: f.line,
            column: f.column,
            end_line: f.end_line,
            end_column: f.end_column,
            severity: f.severity,
        })
        .collect();
    let coloured = props.text.len() <= MAX_COLOURED_BYTES;
    let lines = if coloured {
        highlight(props.kind, &props.text, &marks)
    } else {
        Vec::new()
    };
    let gutter_rows: Html = if line_count > MAX_MARKED_LINES {
        let numbers = (1..=line_count).fold(String::new(), |mut out, n| {
            out.push_str(&n.to_string());
            out.push('\n');
            out
        });
        html! { <pre class="gutter-plain">{ numbers }</pre> }
    } else {
        // Findings by line, once, rather than a scan of all findings for every line.
        let mut by_line: Vec<Vec<&FindingView>> = vec![Vec::new(); line_count + 1];
        for f in &props.findings {
            if let Some(slot) = usize::try_from(f.line)
                .ok()
                .and_then(|l| by_line.get_mut(l))
            {
                slot.push(f);
            }
        }
        (1..=line_count)
            .map(|n| {
                let here = by_line.get(n).map_or(&[][..], Vec::as_slice);
                match here.iter().map(|f| f.severity).min() {
                    Some(worst) => {
                        let title = here
                            .iter()
                            .map(|f| format!("{} {}: {}", f.rule, f.severity.as_str(), f.message))
                            .collect::<Vec<_>>()
                            .join("\n");
                        html! {
                            <div class={classes!("gutter-line", "marked", worst.as_str())} {title}>
                                <span class="marker" aria-hidden="true">{ severity_icon(worst) }</span>{ n }
                            </div>
                        }
                    }
                    None => html! { <div class="gutter-line">{ n }</div> },
                }
            })
            .collect()
    };
    let overlay_lines: Html = lines
        .iter()
        .map(|segs| html! { <>{ for segs.iter().map(segment_html) }{ "\n" }</> })
        .collect();
    html! {
        <div class="editor-wrap">
            <div class={classes!("editor", coloured.then_some("coloured"))}>
                <div class="gutter" ref={gutter} aria-hidden="true">{ gutter_rows }</div>
                <div class="code-stack">
                    <pre class="overlay" ref={overlay} aria-hidden="true">{ overlay_lines }</pre>
                    <textarea class="code" ref={area} spellcheck="false" autocapitalize="off" wrap="off"
                        readonly={props.readonly}
                        aria-label={format!("Contents of {}", props.path)}
                        aria-describedby="editor-status"
                        value={props.text.clone()} {oninput} {onscroll} />
                </div>
            </div>
            <p id="editor-status" class="editor-status" role="status" aria-live="polite">
                { props.status.clone().unwrap_or_default() }
            </p>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::line_span_utf16;

    #[test]
    fn line_spans_count_utf16() {
        let text = "a\n✓é\n𝄞x\nlast";
        assert_eq!(line_span_utf16(text, 1, 1), (0, 1));
        assert_eq!(line_span_utf16(text, 2, 2), (2, 4));
        // 𝄞 is two UTF-16 units.
        assert_eq!(line_span_utf16(text, 3, 4), (5, 13));
    }
}
