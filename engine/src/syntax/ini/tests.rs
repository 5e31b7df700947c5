use super::*;

fn entries(text: &str, dialect: IniDialect) -> Vec<(String, Option<String>, Option<String>)> {
    parse(text, dialect)
        .entries()
        .filter(|(s, _)| s.applied)
        .map(|(_, e)| {
            (
                e.key.clone(),
                e.offset.as_ref().map(|(o, _)| o.clone()),
                e.value.as_ref().map(|v| v.text.clone()),
            )
        })
        .collect()
}

fn one(text: &str) -> String {
    entries(text, IniDialect::PhpIni)
        .first()
        .and_then(|e| e.2.clone())
        .unwrap_or_default()
}

#[test]
fn round_trips_every_shape() {
    for text in [
        "",
        "\u{feff}[www]\r\nlisten = 9000 ; c\r\n",
        "a = \"x\ny\"\n",
        "#x ( y\n key = 'v' \n\tk2\t=\tv2\t\n",
        "p[ a ] = \"q;r\" ; c\nbad = x=y\n[unterminated\n",
        "e = E_ALL & ~E_NOTICE\n\0 = 1\n",
        "v = ${HOME}/x \"${A}b\"\n\r\r\n",
    ] {
        for dialect in [IniDialect::PhpIni, IniDialect::Fpm] {
            let doc = parse(text, dialect);
            assert_eq!(doc.print(text), text, "{text:?}");
        }
    }
}

#[test]
fn values_read_like_php() {
    assert_eq!(one("a = On"), "1");
    assert_eq!(one("a = off ; x"), "");
    assert_eq!(one("a = \"no\""), "no");
    assert_eq!(one("a = E_ALL & ~E_DEPRECATED & ~E_STRICT"), "22527");
    assert_eq!(one("a = .php .phar  "), ".php .phar");
    assert_eq!(one("a = abc;def"), "abc");
    assert_eq!(one("a = \"a\\\"b\\n\""), "a\"b\\n");
    assert_eq!(one("a = '/x;y'"), "/x;y");
    assert_eq!(one("a = /run/php/$pool.sock"), "/run/php/$pool.sock");
}

#[test]
fn keys_offsets_and_sections() {
    let got = entries(
        "[www]\nphp_admin_value[ memory_limit ] = 128M\nclear_env\n",
        IniDialect::Fpm,
    );
    assert_eq!(
        got,
        vec![
            (
                "php_admin_value".into(),
                Some("memory_limit".into()),
                Some("128M".into())
            ),
            ("clear_env".into(), None, None),
        ]
    );
}

#[test]
fn php_ini_stops_at_the_first_error_but_fpm_goes_on() {
    let text = "# harden (see ticket)\ndisable_functions = exec\n";
    assert!(entries(text, IniDialect::PhpIni).is_empty());
    assert_eq!(entries(text, IniDialect::Fpm).len(), 1);
    assert_eq!(parse(text, IniDialect::PhpIni).errors.len(), 1);
}

#[test]
fn fpm_quotes_do_not_span_lines() {
    let doc = parse("env[A] = \"x\ny\"\n", IniDialect::Fpm);
    assert_eq!(doc.errors.len(), 2);
    let doc = parse("a = \"x\ny\"\n", IniDialect::PhpIni);
    assert!(doc.errors.is_empty());
}

mod properties {
    use super::super::*;
    use proptest::prelude::*;

    /// Strings built from the characters the scanner treats specially.
    fn ini_soup() -> impl Strategy<Value = String> {
        proptest::collection::vec(
            prop_oneof![
                Just("["),
                Just("]"),
                Just("="),
                Just(";"),
                Just("\""),
                Just("'"),
                Just("\\"),
                Just("$"),
                Just("${"),
                Just("}"),
                Just("&"),
                Just("|"),
                Just("~"),
                Just("!"),
                Just("("),
                Just(")"),
                Just("\n"),
                Just("\r"),
                Just("\r\n"),
                Just(" "),
                Just("\t"),
                Just("#"),
                Just("\0"),
                Just("key"),
                Just("php_value"),
                Just("E_ALL"),
                Just("on"),
                Just("é"),
                Just("\u{feff}"),
            ],
            0..60,
        )
        .prop_map(|parts| parts.concat())
    }

    fn check(text: &str) {
        for dialect in [IniDialect::PhpIni, IniDialect::Fpm] {
            let doc = parse(text, dialect);
            assert_eq!(doc.print(text), text);
            let mut at = 0;
            for token in &doc.tokens {
                assert_eq!(token.range.start as usize, at, "tokens must be contiguous");
                assert!(!token.range.is_empty(), "empty token");
                at = token.range.end as usize;
            }
            assert_eq!(at, text.len());
            for error in &doc.errors {
                assert!(error.range.end as usize <= text.len());
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        #[test]
        fn any_string_round_trips(text in any::<String>()) {
            check(&text);
        }

        #[test]
        fn ini_soup_round_trips(text in ini_soup()) {
            check(&text);
        }
    }
}
