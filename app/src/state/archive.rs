//! A POSIX ustar archive of the hardened host, built in the page (no compression: the files
//! are small and `tar -xf` reads it everywhere).

const BLOCK: usize = 512;

/// Splits a path into ustar's `prefix` (≤155 bytes) and `name` (≤100 bytes) at a `/`.
fn split_name(path: &str) -> Option<(&str, &str)> {
    if path.len() <= 100 {
        return Some(("", path));
    }
    let cut = path
        .match_indices('/')
        .map(|(i, _)| i)
        .find(|&i| i <= 155 && path.len() - i - 1 <= 100)?;
    Some((path.get(..cut)?, path.get(cut + 1..)?))
}

fn put(header: &mut [u8; BLOCK], at: usize, bytes: &[u8]) {
    for (i, b) in bytes.iter().enumerate() {
        if let Some(slot) = header.get_mut(at + i) {
            *slot = *b;
        }
    }
}

fn octal(n: usize, width: usize) -> Vec<u8> {
    format!("{n:0w$o}\0", w = width - 1).into_bytes()
}

/// One regular file entry: header, contents, padding to the block size.
fn entry(out: &mut Vec<u8>, path: &str, data: &[u8], mode: usize) -> bool {
    let Some((prefix, name)) = split_name(path) else {
        return false;
    };
    let mut header = [0_u8; BLOCK];
    put(&mut header, 0, name.as_bytes());
    put(&mut header, 100, &octal(mode, 8));
    put(&mut header, 108, &octal(0, 8));
    put(&mut header, 116, &octal(0, 8));
    put(&mut header, 124, &octal(data.len(), 12));
    // A fixed time keeps archives reproducible; the engine has no clock by design.
    put(&mut header, 136, &octal(0, 12));
    put(&mut header, 148, b"        ");
    put(&mut header, 156, b"0");
    put(&mut header, 257, b"ustar\x0000");
    put(&mut header, 265, b"root");
    put(&mut header, 297, b"root");
    put(&mut header, 345, prefix.as_bytes());
    let sum: usize = header.iter().map(|&b| usize::from(b)).sum();
    put(&mut header, 148, &octal(sum, 7));
    out.extend_from_slice(&header);
    out.extend_from_slice(data);
    out.resize(out.len().div_ceil(BLOCK) * BLOCK, 0);
    true
}

/// The archive of `(host path, text)` pairs, paths relative (`etc/php/...`) so extracting
/// into a scratch directory never touches the host. Scripts are executable.
pub fn tar(files: &[(String, String)]) -> Vec<u8> {
    let mut out = Vec::new();
    for (path, text) in files {
        let relative = path.trim_start_matches('/');
        let mode = if relative
            .rsplit_once('.')
            .is_some_and(|(_, ext)| ext.eq_ignore_ascii_case("sh"))
        {
            0o755
        } else {
            0o644
        };
        entry(&mut out, relative, text.as_bytes(), mode);
    }
    out.resize(out.len() + 2 * BLOCK, 0);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn system_tar_lists_and_extracts_it() {
        let long = format!("srv/{}/x.conf", "d".repeat(120));
        let files = vec![
            (
                "/etc/php/8.2/fpm/pool.d/a.conf".to_string(),
                "[a]\nuser = a\n".to_string(),
            ),
            (
                "/root/fpmaudit-provision.sh".to_string(),
                "#!/bin/sh\n".to_string(),
            ),
            (format!("/{long}"), "x".repeat(513)),
        ];
        let bytes = tar(&files);
        assert_eq!(bytes.len() % BLOCK, 0);
        let dir = std::env::temp_dir().join(format!("fpmaudit-tar-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let archive = dir.join("host.tar");
        std::fs::write(&archive, &bytes).unwrap();
        let status = std::process::Command::new("tar")
            .arg("-xf")
            .arg(&archive)
            .arg("-C")
            .arg(&dir)
            .status()
            .unwrap();
        assert!(status.success());
        let pool = std::fs::read_to_string(dir.join("etc/php/8.2/fpm/pool.d/a.conf")).unwrap();
        assert_eq!(pool, "[a]\nuser = a\n");
        assert_eq!(std::fs::read_to_string(dir.join(&long)).unwrap().len(), 513);
        let script = std::fs::metadata(dir.join("root/fpmaudit-provision.sh")).unwrap();
        assert_eq!(
            std::os::unix::fs::PermissionsExt::mode(&script.permissions()) & 0o777,
            0o755
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
