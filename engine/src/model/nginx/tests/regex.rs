//! The PCRE subset, on the patterns PHP locations use (expectations checked against PCRE).

use crate::model::nginx::regex::Regex;

fn is(pattern: &str, subject: &str) -> bool {
    Regex::new(pattern, false)
        .unwrap_or_else(|e| panic!("{pattern}: {e:?}"))
        .is_match(subject)
        .unwrap()
}

fn is_ci(pattern: &str, subject: &str) -> bool {
    Regex::new(pattern, true)
        .unwrap()
        .is_match(subject)
        .unwrap()
}

#[test]
fn php_locations() {
    assert!(is(r"\.php$", "/index.php"));
    assert!(!is(r"\.php$", "/index.php.jpg"));
    assert!(is(r"\.php", "/index.php.jpg"));
    assert!(!is(r"\.php$", "/index.PHP"));
    assert!(is_ci(r"\.php$", "/index.PHP"));
    assert!(is(r"[^/]\.php(/|$)", "/a.php/info"));
    assert!(is(r"[^/]\.php(/|$)", "/a.php"));
    assert!(!is(r"[^/]\.php(/|$)", "/.php"));
    assert!(!is(r"[^/]\.php(/|$)", "/a.phpx"));
    assert!(is(r"^/uploads/.*\.php$", "/uploads/a/b.php"));
    assert!(!is(r"^/uploads/.*\.php$", "/x/uploads/b.php"));
    assert!(is(r"(^|/)\.", "/.git/config"));
    assert!(is(r"(^|/)\.", ".env"));
    assert!(!is(r"(^|/)\.", "/a.b/c"));
    assert!(is_ci(r"\.(jpg|png|GIF)$", "/a/b.gif"));
    assert!(!is(r"\.(jpg|png)$", "/a/b.gif"));
    assert!(is(r"^(.+?\.php)(/.*)$", "/a.php/b"));
    assert!(!is(r"^(.+?\.php)(/.*)$", "/a.php"));
}

#[test]
fn dollar_matches_before_a_final_newline() {
    // CVE-2019-11043: `$` and `.` in PCRE's default mode.
    assert!(is(r"\.php$", "/a.php\n"));
    assert!(!is(r"\.php$", "/a.php\n\n"));
    assert!(!is(r"\.php\z", "/a.php\n"));
    assert!(!is(r"^(.+?\.php)(/.*)$", "/a.php/x\ny"));
    assert!(is(r"(?s)^(.+?\.php)(/.*)$", "/a.php/x\ny"));
}

#[test]
fn quantifiers_classes_and_escapes() {
    assert!(is(r"^/v\d{1,2}/", "/v12/x"));
    assert!(!is(r"^/v\d{1,2}/", "/v123/x"));
    assert!(is(r"^/v\d{2,}/", "/v123/x"));
    assert!(is(r"^/v\d{2}/", "/v12/"));
    assert!(
        is(r"^a{,2}$", "a{,2}"),
        "a brace that is no quantifier is literal"
    );
    assert!(is(r"^[a-z_-]+$", "ab_-c"));
    assert!(!is(r"^[a-z_-]+$", "aB"));
    assert!(is_ci(r"^[a-z]+$", "aB"));
    assert!(is(r"^[]a]+$", "]a]"));
    assert!(is(r"^[^\d\s]+$", "abc"));
    assert!(!is(r"^[^\d\s]+$", "ab1"));
    assert!(is(r"^[[:alpha:]]+[[:digit:]]$", "ab1"));
    assert!(is(r"^\w+\W\S$", "ab_ x"));
    assert!(is(r"\bwp\b", "/wp/x"));
    assert!(!is(r"\bwp\b", "/wpx"));
    assert!(is(r"^\x41\/$", "A/"));
    assert!(is(r"^a.c$", "abc"));
    assert!(!is(r"^a.c$", "a\nc"));
    assert!(is(r"^(?:ab)+?c?$", "abab"));
    assert!(is(r"^(?<name>[a-z]+)/(?P<id>\d+)$", "user/42"));
}

#[test]
fn lookahead_and_inline_flags() {
    assert!(is(r"/\.(?!well-known)", "/.git"));
    assert!(!is(r"/\.(?!well-known)", "/.well-known/acme"));
    assert!(is(r"^/(?=admin)", "/admin"));
    assert!(is(r"(?i)\.php$", "/A.PHP"));
    assert!(is(r"^(?i:ab)c$", "ABc"));
    assert!(!is(r"^(?i:ab)c$", "ABC"));
    assert!(is(r"^(a(?i)b|c)$", "aB"));
    assert!(!is(r"^(a(?i)b|c)d$", "aBD"));
}

#[test]
fn unsupported_patterns_are_refused_not_guessed() {
    for pattern in [
        r"(a)\1", r"(?<=a)b", r"(?<!a)b", r"a++", r"\p{L}", r"(?m)^a", r"(?x) a", r"\Qa.b\E", "(a",
        "a)", "[a", "*a", "a**", r"a{1001}", r"\",
    ] {
        assert!(Regex::new(pattern, false).is_err(), "{pattern}");
    }
    let deep = "(".repeat(100) + &")".repeat(100);
    assert!(Regex::new(&deep, false).is_err());
}

#[test]
fn hostile_patterns_stay_linear() {
    let re = Regex::new("(a*)*(a|aa)*b", false).unwrap();
    assert_eq!(re.is_match(&"a".repeat(5000)), Some(false));
    let re = Regex::new("(x+x+)+y", false).unwrap();
    assert_eq!(re.is_match(&"x".repeat(3000)), Some(false));
    assert!(Regex::new(&"a{1000}".repeat(30), false).is_err());
    // Nested lookaheads inside repetitions multiply the work: the search gives up.
    let re = Regex::new("((?=.*(?=.*(?=.*(?=.*(?=.*x)))))a)*y", false).unwrap();
    assert_eq!(re.is_match(&"a".repeat(400)), None);
}
