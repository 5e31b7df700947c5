//! Shell-style path patterns as `glob(3)` matches them (FPM's and nginx's `include`): `*` and `?`
//! never cross `/` nor match a leading `.`, `[...]` classes with ranges and `!`/`^` negation.

/// Whether `path` matches `pattern`, component by component.
pub fn matches(pattern: &str, path: &str) -> bool {
    let mut pattern_parts = pattern.split('/');
    let mut path_parts = path.split('/');
    loop {
        match (pattern_parts.next(), path_parts.next()) {
            (None, None) => return true,
            (Some(p), Some(s)) => {
                let hidden_ok = !s.starts_with('.') || p.starts_with('.');
                if !(hidden_ok && component_matches(p.as_bytes(), s.as_bytes())) {
                    return false;
                }
            }
            _ => return false,
        }
    }
}

/// True when the pattern has no wildcard, so it names one file.
pub fn is_literal(pattern: &str) -> bool {
    !pattern.contains(['*', '?', '['])
}

/// Iterative wildcard matching with one backtracking point (linear in practice, no recursion).
fn component_matches(pattern: &[u8], text: &[u8]) -> bool {
    let (mut p, mut t) = (0, 0);
    // The last `*` seen and the text position it is currently assumed to end at.
    let mut star: Option<(usize, usize)> = None;
    while let Some(&c) = text.get(t) {
        // Where the pattern continues when it matches `c` here, or None on a mismatch.
        let next = match pattern.get(p) {
            Some(b'*') => {
                star = Some((p, t));
                p += 1;
                continue;
            }
            Some(b'?') => Some(p + 1),
            Some(b'[') => match class_matches(pattern, p, c) {
                Some((true, after)) => Some(after),
                Some((false, _)) => None,
                // An unclosed `[` is an ordinary character.
                None => (c == b'[').then_some(p + 1),
            },
            Some(&literal) => (literal == c).then_some(p + 1),
            None => None,
        };
        match (next, star) {
            (Some(after), _) => {
                p = after;
                t += 1;
            }
            (None, Some((sp, st))) => {
                p = sp + 1;
                t = st + 1;
                star = Some((sp, st + 1));
            }
            (None, None) => return false,
        }
    }
    pattern
        .get(p..)
        .is_some_and(|rest| rest.iter().all(|&c| c == b'*'))
}

/// Matches `c` against the class starting at `pattern[start] == b'['`; returns whether it
/// matched and the index after `]`, or `None` when the class is not closed.
fn class_matches(pattern: &[u8], start: usize, c: u8) -> Option<(bool, usize)> {
    let mut i = start + 1;
    let negated = matches!(pattern.get(i), Some(b'!' | b'^'));
    if negated {
        i += 1;
    }
    let mut matched = false;
    let mut first = true;
    loop {
        let &lo = pattern.get(i)?;
        if lo == b']' && !first {
            return Some((matched != negated, i + 1));
        }
        first = false;
        if pattern.get(i + 1) == Some(&b'-') && pattern.get(i + 2).is_some_and(|&hi| hi != b']') {
            let hi = *pattern.get(i + 2)?;
            matched |= lo <= c && c <= hi;
            i += 3;
        } else {
            matched |= lo == c;
            i += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glob_semantics() {
        assert!(matches(
            "/etc/php/8.2/fpm/pool.d/*.conf",
            "/etc/php/8.2/fpm/pool.d/www.conf"
        ));
        assert!(!matches(
            "/etc/php/8.2/fpm/pool.d/*.conf",
            "/etc/php/8.2/fpm/pool.d/sub/www.conf"
        ));
        assert!(!matches(
            "/etc/nginx/sites-enabled/*",
            "/etc/nginx/sites-enabled/.hidden"
        ));
        assert!(matches(
            "/etc/nginx/sites-enabled/.*",
            "/etc/nginx/sites-enabled/.hidden"
        ));
        assert!(matches("/a/[a-c]?.conf", "/a/bx.conf"));
        assert!(!matches("/a/[!a-c]?.conf", "/a/bx.conf"));
        assert!(matches("/a/*b*c", "/a/xxbyyc"));
        assert!(!matches("/a/*b*c", "/a/xxbyyd"));
        assert!(matches("/a/[", "/a/["));
        assert!(matches("/a/**", "/a/x"));
        assert!(is_literal("/etc/nginx/fastcgi_params"));
    }

    #[test]
    fn long_inputs_stay_fast() {
        let text = "a".repeat(10_000);
        let pattern = "*a".repeat(50) + "b";
        assert!(!matches(&pattern, &text));
    }
}
