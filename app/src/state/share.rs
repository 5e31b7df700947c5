//! The whole state in the URL fragment: `#s=<base64url(deflate(files))>`, plus flags
//! (`embed`, `example=ID`, `workshop=ID`). The fragment never reaches a server: browsers do not
//! send it, and the app makes no request with it.

use fpmaudit_engine::FileKind;

use super::EditorFile;

/// Format version, the first byte of the packed state.
const VERSION: u8 = 1;
/// Inflating a hostile fragment must not exhaust memory: far above any real host.
const MAX_UNPACKED: usize = 32 * 1024 * 1024;

/// What a fragment asks for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Fragment {
    pub files: Option<Vec<EditorFile>>,
    pub selected: usize,
    pub example: Option<String>,
    pub workshop: Option<String>,
    pub embed: bool,
}

/// `#s=…` for these files; add `&embed` for the embedded view.
pub fn fragment(files: &[EditorFile], selected: usize) -> String {
    format!("#s={}", encode(files, selected))
}

/// Reads a fragment (with or without its `#`); anything malformed is ignored, never fatal.
pub fn parse_fragment(raw: &str) -> Fragment {
    let mut fragment = Fragment::default();
    for part in raw.trim_start_matches('#').split('&') {
        let (key, value) = part.split_once('=').unwrap_or((part, ""));
        match key {
            "s" => {
                if let Some((files, selected)) = decode(value) {
                    fragment.files = Some(files);
                    fragment.selected = selected;
                }
            }
            "embed" => fragment.embed = true,
            "example" if !value.is_empty() => fragment.example = Some(value.to_string()),
            "workshop" if !value.is_empty() => fragment.workshop = Some(value.to_string()),
            _ => {}
        }
    }
    fragment
}

pub fn encode(files: &[EditorFile], selected: usize) -> String {
    let mut raw = vec![VERSION];
    push_varint(&mut raw, selected);
    push_varint(&mut raw, files.len());
    for file in files {
        push_bytes(&mut raw, file.path.as_bytes());
        let kind = FileKind::ALL
            .iter()
            .position(|k| *k == file.kind)
            .unwrap_or(FileKind::ALL.len() - 1);
        raw.push(u8::try_from(kind).unwrap_or(u8::MAX));
        push_bytes(&mut raw, file.text.as_bytes());
    }
    base64url(&miniz_oxide::deflate::compress_to_vec(&raw, 9))
}

pub fn decode(text: &str) -> Option<(Vec<EditorFile>, usize)> {
    let packed = unbase64url(text)?;
    let raw = miniz_oxide::inflate::decompress_to_vec_with_limit(&packed, MAX_UNPACKED).ok()?;
    let mut reader = Reader { bytes: &raw, at: 0 };
    if reader.byte()? != VERSION {
        return None;
    }
    let selected = reader.varint()?;
    let count = reader.varint()?;
    let mut files = Vec::new();
    for _ in 0..count {
        let path = String::from_utf8(reader.bytes()?.to_vec()).ok()?;
        let kind = *FileKind::ALL.get(usize::from(reader.byte()?))?;
        let text = String::from_utf8(reader.bytes()?.to_vec()).ok()?;
        files.push(EditorFile { path, kind, text });
    }
    (reader.at == raw.len()).then_some((files, selected))
}

fn push_varint(out: &mut Vec<u8>, mut n: usize) {
    loop {
        let low = u8::try_from(n & 0x7f).unwrap_or(0);
        n >>= 7;
        if n == 0 {
            out.push(low);
            return;
        }
        out.push(low | 0x80);
    }
}

fn push_bytes(out: &mut Vec<u8>, bytes: &[u8]) {
    push_varint(out, bytes.len());
    out.extend_from_slice(bytes);
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn byte(&mut self) -> Option<u8> {
        let b = *self.bytes.get(self.at)?;
        self.at += 1;
        Some(b)
    }

    fn varint(&mut self) -> Option<usize> {
        let mut n: usize = 0;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            n |= usize::from(b & 0x7f).checked_shl(shift)?;
            if b & 0x80 == 0 {
                return Some(n);
            }
        }
        None
    }

    fn bytes(&mut self) -> Option<&'a [u8]> {
        let len = self.varint()?;
        let end = self.at.checked_add(len)?;
        let slice = self.bytes.get(self.at..end)?;
        self.at = end;
        Some(slice)
    }
}

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Base64 with the URL-safe alphabet and no padding (RFC 4648 §5).
pub fn base64url(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk.first().copied().unwrap_or(0),
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..=chunk.len() {
            let index = (n >> (18 - 6 * i)) & 0x3f;
            if let Some(&c) = ALPHABET.get(index as usize) {
                out.push(char::from(c));
            }
        }
    }
    out
}

pub fn unbase64url(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let mut acc: u32 = 0;
    let mut bits = 0;
    for c in text.bytes() {
        let value = ALPHABET.iter().position(|&a| a == c)?;
        acc = (acc << 6) | u32::try_from(value).ok()?;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push(u8::try_from((acc >> bits) & 0xff).ok()?);
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files() -> Vec<EditorFile> {
        vec![
            EditorFile {
                path: "/etc/php/8.2/fpm/pool.d/www.conf".into(),
                kind: FileKind::FpmPool,
                text: "[www]\r\nuser = www-data\n; ünïcode ✓\n".into(),
            },
            EditorFile {
                path: "/etc/nginx/nginx.conf".into(),
                kind: FileKind::Nginx,
                text: String::new(),
            },
        ]
    }

    #[test]
    fn round_trips_files_kinds_and_selection() {
        let fragment = parse_fragment(&format!("{}&embed", fragment(&files(), 1)));
        assert_eq!(fragment.files, Some(files()));
        assert_eq!(fragment.selected, 1);
        assert!(fragment.embed);
    }

    #[test]
    fn base64url_matches_rfc_4648_vectors() {
        for (plain, coded) in [
            ("", ""),
            ("f", "Zg"),
            ("fo", "Zm8"),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg"),
            ("fooba", "Zm9vYmE"),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64url(plain.as_bytes()), coded);
            assert_eq!(unbase64url(coded).unwrap(), plain.as_bytes());
        }
        assert_eq!(base64url(&[0xfb, 0xff]), "-_8");
    }

    #[test]
    fn compresses_a_real_host() {
        let big = "listen = /run/php/app.sock\n".repeat(400);
        let files = vec![EditorFile {
            path: "/etc/php/8.2/fpm/pool.d/a.conf".into(),
            kind: FileKind::FpmPool,
            text: big.clone(),
        }];
        assert!(encode(&files, 0).len() < big.len() / 10);
    }

    #[test]
    fn malformed_fragments_are_ignored() {
        for raw in [
            "",
            "#",
            "#s=",
            "#s=!!!",
            "#s=AAAA",
            "#s=Zm9v&x",
            "#example=",
            "#&&&",
        ] {
            let fragment = parse_fragment(raw);
            assert_eq!(fragment.files, None, "{raw}");
        }
        assert_eq!(
            parse_fragment("#example=debian&workshop=cve")
                .workshop
                .as_deref(),
            Some("cve")
        );
        // Valid deflate of a wrong version byte.
        let wrong = base64url(&miniz_oxide::deflate::compress_to_vec(&[9, 0, 0], 9));
        assert_eq!(decode(&wrong), None);
        // Trailing bytes after the last file are refused.
        let trailing = base64url(&miniz_oxide::deflate::compress_to_vec(&[1, 0, 0, 7], 9));
        assert_eq!(decode(&trailing), None);
    }
}
