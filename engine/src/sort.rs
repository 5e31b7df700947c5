//! One shared sort for the engine and the app.
//!
//! Every `slice::sort*` call site instantiates the standard library's sorting code again for
//! its element type and comparator (about 3 KB of wasm each); with forty call sites that was
//! the largest generic code in the browser bundle. Here a vector is sorted through a single
//! instantiation: its indices, compared through a `dyn` comparator, then moved into place.
//! The sort is stable, like `sort_by`.

use std::cmp::Ordering;

/// Sorts `items` stably by `cmp`.
pub fn sort_by<T>(items: &mut Vec<T>, cmp: impl Fn(&T, &T) -> Ordering) {
    if items.len() < 2 {
        return;
    }
    let mut order: Vec<usize> = (0..items.len()).collect();
    {
        let view: &[T] = items;
        let compare = |a: usize, b: usize| match (view.get(a), view.get(b)) {
            (Some(x), Some(y)) => cmp(x, y),
            _ => Ordering::Equal,
        };
        sort_indices(&mut order, &compare);
    }
    let mut slots: Vec<Option<T>> = items.drain(..).map(Some).collect();
    items.extend(
        order
            .iter()
            .filter_map(|&i| slots.get_mut(i).and_then(Option::take)),
    );
}

/// The one instantiation of the standard sort.
#[inline(never)]
fn sort_indices(order: &mut [usize], cmp: &dyn Fn(usize, usize) -> Ordering) {
    order.sort_by(|&a, &b| cmp(a, b));
}

/// Sorts `items` stably by a key.
pub fn sort_by_key<T, K: Ord>(items: &mut Vec<T>, key: impl Fn(&T) -> K) {
    sort_by(items, |a, b| key(a).cmp(&key(b)));
}

/// Sorts `items` in their natural order.
pub fn sort<T: Ord>(items: &mut Vec<T>) {
    sort_by(items, T::cmp);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_like_the_standard_library_and_keeps_equal_elements_in_order() {
        let mut state = 0x2545_f491_u64;
        for len in [0, 1, 2, 3, 7, 33, 257] {
            let items: Vec<(u8, usize)> = (0..len)
                .map(|i| {
                    state ^= state << 13;
                    state ^= state >> 7;
                    state ^= state << 17;
                    (u8::try_from(state % 5).unwrap(), i)
                })
                .collect();
            let mut ours = items.clone();
            let mut theirs = items.clone();
            sort_by_key(&mut ours, |(k, _)| *k);
            theirs.sort_by_key(|(k, _)| *k);
            assert_eq!(ours, theirs);
            let mut all = items.clone();
            sort(&mut all);
            let mut expected = items;
            expected.sort_unstable();
            assert_eq!(all, expected);
        }
    }
}
