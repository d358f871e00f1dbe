//! Checking an input path before anything opens it: it must exist and be a regular, readable
//! file. Named pipes (FIFOs), devices, sockets and folders are refused up front, so a FIFO
//! given as a DEM can never block a command, and the message names the path and its kind.

use super::GisError;
use std::path::Path;

/// What kind of non-regular file `path` is, for messages.
fn kind_of(meta: &std::fs::Metadata) -> &'static str {
    let ft = meta.file_type();
    if ft.is_dir() {
        return "a folder";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if ft.is_fifo() {
            return "a named pipe (FIFO)";
        }
        if ft.is_socket() {
            return "a socket";
        }
        if ft.is_block_device() || ft.is_char_device() {
            return "a device";
        }
    }
    "not a regular file"
}

/// Fail unless `path` (symlinks followed) is an existing, regular, readable file.
/// Never opens anything but a regular file, so it cannot block.
pub fn check_input_file(path: &Path) -> Result<(), GisError> {
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(GisError::NotFound {
                path: path.to_path_buf(),
            })
        }
        Err(source) => {
            return Err(GisError::Io {
                path: path.to_path_buf(),
                source,
            })
        }
    };
    if !meta.is_file() {
        return Err(GisError::invalid(
            path,
            format!(
                "is {}, not a regular file; SlideMap reads inputs from regular files only",
                kind_of(&meta)
            ),
        ));
    }
    std::fs::File::open(path).map_err(|source| GisError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_and_missing_files_are_refused_by_name() {
        let dir = tempfile::tempdir().unwrap();
        let e = check_input_file(dir.path()).unwrap_err().to_string();
        assert!(e.contains("a folder"), "{e}");
        let e = check_input_file(&dir.path().join("nope.tif"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("nope.tif") && e.contains("not found"), "{e}");
        let f = dir.path().join("ok.tif");
        std::fs::write(&f, "x").unwrap();
        check_input_file(&f).unwrap();
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_is_refused_without_blocking() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("dem.tif");
        let ok = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .is_ok_and(|s| s.success());
        if !ok {
            eprintln!("skipped: mkfifo unavailable");
            return;
        }
        let e = check_input_file(&fifo).unwrap_err().to_string();
        assert!(e.contains("dem.tif") && e.contains("FIFO"), "{e}");
    }
}
