//! Property tests: any text, and any damage to a valid config, reads without panicking and
//! prints back byte for byte.

use proptest::prelude::*;

use super::parse_checked;

/// A valid config touching every lexer path.
const BASE: &str = "user www-data;\n\
worker_processes auto; # c\r\n\
events { worker_connections 768; }\n\
http {\n\
\tmap $http_upgrade $conn { default upgrade; '' close; }\n\
\tlog_format j escape=json '{' '\"u\":\"$uri\"' '}';\n\
\tserver {\n\
\t\tlisten 80 default_server;\n\
\t\tlocation ~ \"^/v\\d{1,2}/\" { try_files /c/${uri}.html =404; }\n\
\t\tlocation ~ \\.php$ {\n\
\t\t\tif ($request_uri ~* \"%0a|%0d\") { return 403; }\n\
\t\t\tfastcgi_param SCRIPT_FILENAME $realpath_root$fastcgi_script_name;\n\
\t\t\tfastcgi_pass unix:/run/php/php8.2-fpm.sock;\n\
\t\t}\n\
\t\tcontent_by_lua_block { ngx.say(\"}\") -- }\n\t\t}\n\
\t\tlocation /a{}location /b{}\n\
\t\tenv LUA_PATH=\\;\\;/x/?.lua;\n\
\t}\n\
}\n";

/// Characters that matter to the lexer, plus a few ordinary and multi-byte ones.
const ALPHABET: &[char] = &[
    ' ',
    '\t',
    '\r',
    '\n',
    ';',
    '{',
    '}',
    '#',
    '"',
    '\'',
    '\\',
    '$',
    '(',
    ')',
    '[',
    ']',
    '=',
    '-',
    'a',
    'z',
    '0',
    'é',
    '\u{1f600}',
    '\0',
];

fn nginxish() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(ALPHABET), 0..300)
        .prop_map(|chars| chars.into_iter().collect())
}

/// Applies edits at fractional positions: delete a char, insert one, or replace one.
fn mutate(base: &str, edits: &[(f64, u8, char)]) -> String {
    let mut chars: Vec<char> = base.chars().collect();
    for &(at, op, c) in edits {
        // Truncation is the point: a fraction picks a position.
        #[expect(
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss,
            clippy::cast_precision_loss,
            reason = "a fraction in [0, 1) scaled to an index"
        )]
        let index = ((chars.len() as f64) * at) as usize;
        let index = index.min(chars.len());
        match op % 3 {
            0 if index < chars.len() => {
                chars.remove(index);
            }
            1 if index < chars.len() => {
                if let Some(slot) = chars.get_mut(index) {
                    *slot = c;
                }
            }
            _ => chars.insert(index, c),
        }
    }
    chars.into_iter().collect()
}

proptest! {
    #[test]
    fn any_string_round_trips(text in any::<String>()) {
        parse_checked(&text);
    }

    #[test]
    fn lexer_heavy_strings_round_trip(text in nginxish()) {
        parse_checked(&text);
    }

    #[test]
    fn damaged_configs_round_trip(
        edits in prop::collection::vec(
            (0.0..1.0_f64, any::<u8>(), prop::sample::select(ALPHABET)),
            1..8,
        )
    ) {
        parse_checked(&mutate(BASE, &edits));
    }
}

#[test]
fn the_base_config_is_valid() {
    let doc = parse_checked(BASE);
    assert!(doc.errors.is_empty(), "{:?}", doc.errors);
    let names: Vec<&str> = doc.walk().map(|(_, d)| d.name.as_str()).collect();
    assert!(names.contains(&"fastcgi_pass") && names.contains(&"content_by_lua_block"));
}
