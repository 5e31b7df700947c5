use super::*;

#[test]
fn modes_read_and_print_back() {
    for (text, ty, mode) in [
        ("drwxr-xr-x", FileType::Dir, 0o755),
        ("drwxrwxrwt", FileType::Dir, 0o1777),
        ("-rwsr-sr-x", FileType::File, 0o6755),
        ("drwx--S--T", FileType::Dir, 0o3700),
        ("srw-rw----", FileType::Socket, 0o660),
        ("lrwxrwxrwx", FileType::Symlink, 0o777),
    ] {
        assert_eq!(symbolic_mode(text), Some((ty, mode)), "{text}");
        assert_eq!(mode_string(ty, mode), text);
    }
    assert_eq!(symbolic_mode("drwxr-xr-x+"), Some((FileType::Dir, 0o755)));
    assert_eq!(symbolic_mode("drwxr-xr-"), None);
    assert_eq!(symbolic_mode("qrwxr-xr-x"), None);
}

#[test]
fn lines_with_spaces_errors_and_trivia() {
    let text = "# fpmaudit fs-snapshot v1\n\
                drwxr-x--- root shop 0 1001 /srv/shop\r\n\
                -rw-rw-r-- shop shop 1001 1001 /srv/shop/my file.php\n\
                garbage here\n\
                -rw-r--r-- 1005 1005 1005 1005 relative\n\
                \n\
                drwxrwxrwx shop shop 1001 1001 /srv/shop/up";
    let doc = parse(text);
    assert_eq!(doc.print(text), text);
    let paths: Vec<_> = doc.entries().map(|(_, e)| e.path.as_str()).collect();
    assert_eq!(
        paths,
        ["/srv/shop", "/srv/shop/my file.php", "/srv/shop/up"]
    );
    assert_eq!(doc.errors.len(), 2);
    let (_, file) = doc.entries().nth(1).unwrap();
    assert_eq!(file.path_range.slice(text), "/srv/shop/my file.php");
    assert_eq!((file.uid, file.gid, file.mode), (1001, 1001, 0o664));
}

proptest::proptest! {
    #[test]
    fn any_text_round_trips(text in "(?s).{0,400}") {
        proptest::prop_assert_eq!(parse(&text).print(&text), text.clone());
        let doc = crate::syntax::accounts::parse(&text, crate::syntax::accounts::Database::Group);
        proptest::prop_assert_eq!(doc.print(&text), text);
    }

    #[test]
    fn entry_like_lines_round_trip(
        lines in proptest::collection::vec(
            "[-dls][rwx-]{3}[rwxsS-][rwx-]{2}[rwxtT-]{2} [a-z]{1,5} [a-z]{1,5} [0-9]{1,4} [0-9]{1,4} /[a-z /]{0,12}\r?\n",
            0..20,
        )
    ) {
        let text: String = lines.concat();
        proptest::prop_assert_eq!(parse(&text).print(&text), text);
    }
}
