//! SHA-256 digests of files (streamed, lower-case hex), for `provenance.json` and the
//! content hashes of saved models' training events.

use super::super::ReportError;
use sha2::{Digest, Sha256};
use std::io::Read;
use std::path::Path;

/// Size in bytes and SHA-256 (lower-case hex) of a file, read in 64 KiB blocks.
pub fn file_digest(path: &Path) -> Result<(u64, String), ReportError> {
    let io = |e| ReportError::io(path, e);
    let mut file = std::fs::File::open(path).map_err(io)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 64 * 1024];
    let mut size = 0u64;
    loop {
        let n = match file.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(io(e)),
        };
        hasher.update(&buf[..n]);
        size += n as u64;
    }
    Ok((size, hex(&hasher.finalize())))
}

/// Lower-case hexadecimal of bytes.
fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const ABC_SHA256: &str = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

    #[test]
    fn the_digest_of_abc_is_the_published_one() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("abc.txt");
        std::fs::write(&p, b"abc").unwrap();
        assert_eq!(file_digest(&p).unwrap(), (3, ABC_SHA256.to_string()));
    }

    #[test]
    fn the_digest_of_a_multi_block_file_matches_sha256sum() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("big.bin");
        let bytes: Vec<u8> = (0..200_000u32).map(|i| (i * 7 % 251) as u8).collect();
        std::fs::write(&p, &bytes).unwrap();
        let (size, digest) = file_digest(&p).unwrap();
        assert_eq!(size, 200_000);
        assert_eq!(digest, hex(&Sha256::digest(&bytes)));
        assert_eq!(digest.len(), 64);
        assert!(digest
            .chars()
            .all(|c| c.is_ascii_hexdigit() && !c.is_uppercase()));
        if let Ok(out) = std::process::Command::new("sha256sum").arg(&p).output() {
            let text = String::from_utf8_lossy(&out.stdout);
            assert_eq!(text.split_whitespace().next(), Some(digest.as_str()));
        }
    }

    #[test]
    fn a_missing_file_is_named() {
        let e = file_digest(Path::new("/nonexistent/dem.tif")).unwrap_err();
        assert!(e.to_string().contains("dem.tif"), "{e}");
    }
}
