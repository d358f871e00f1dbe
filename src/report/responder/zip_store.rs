//! A minimal zip archive writer (method 0, "stored"), enough for a KMZ: entries in the
//! given order (Google Earth reads the first `.kml`), UTF-8 names, a fixed timestamp
//! (1980-01-01 00:00) so identical content gives identical bytes. No compression: the PNGs
//! inside a KMZ are compressed already and the KML is small. Limits of the classic format:
//! fewer than 65 535 entries and every size and offset below 4 GiB.

/// Zip `entries` (name, bytes) in order; `Err` names the limit exceeded.
pub(crate) fn zip_stored(entries: &[(&str, &[u8])]) -> Result<Vec<u8>, String> {
    const UTF8_NAMES: u16 = 1 << 11;
    const DOS_DATE_1980_01_01: u16 = (1 << 5) | 1;
    let too_big = |what: &str| format!("{what} exceeds the 4 GiB limit of a classic zip");
    let u32_of = |n: usize, what: &str| u32::try_from(n).map_err(|_| too_big(what));
    let u16_of = |n: usize, what: &str| {
        u16::try_from(n).map_err(|_| format!("{what} exceeds 65 535 in a classic zip"))
    };
    let mut out = Vec::new();
    let mut central = Vec::new();
    for (name, data) in entries {
        let crc = crc32fast::hash(data);
        let size = u32_of(data.len(), name)?;
        let name_len = u16_of(name.len(), "a file name's length")?;
        let offset = u32_of(out.len(), "the archive")?;
        // local file header
        put32(&mut out, 0x0403_4b50);
        for v in [20, UTF8_NAMES, 0, 0, DOS_DATE_1980_01_01] {
            put16(&mut out, v);
        }
        for v in [crc, size, size] {
            put32(&mut out, v);
        }
        put16(&mut out, name_len);
        put16(&mut out, 0);
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(data);
        // central directory record
        put32(&mut central, 0x0201_4b50);
        for v in [20, 20, UTF8_NAMES, 0, 0, DOS_DATE_1980_01_01] {
            put16(&mut central, v);
        }
        for v in [crc, size, size] {
            put32(&mut central, v);
        }
        for v in [name_len, 0, 0, 0, 0] {
            put16(&mut central, v);
        }
        put32(&mut central, 0);
        put32(&mut central, offset);
        central.extend_from_slice(name.as_bytes());
    }
    let n = u16_of(entries.len(), "the number of entries")?;
    let cd_offset = u32_of(out.len(), "the archive")?;
    let cd_size = u32_of(central.len(), "the central directory")?;
    out.extend_from_slice(&central);
    // end of central directory
    put32(&mut out, 0x0605_4b50);
    for v in [0, 0, n, n] {
        put16(&mut out, v);
    }
    put32(&mut out, cd_size);
    put32(&mut out, cd_offset);
    put16(&mut out, 0);
    Ok(out)
}

fn put16(out: &mut Vec<u8>, v: u16) {
    out.extend_from_slice(&v.to_le_bytes());
}

fn put32(out: &mut Vec<u8>, v: u32) {
    out.extend_from_slice(&v.to_le_bytes());
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Read a stored zip back (test helper): (name, bytes) in archive order, checking the
    /// CRC of every entry and that the central directory agrees with the local headers.
    pub(crate) fn read_stored(zip: &[u8]) -> Vec<(String, Vec<u8>)> {
        let u16_at = |i: usize| u16::from_le_bytes([zip[i], zip[i + 1]]) as usize;
        let u32_at = |i: usize| u32::from_le_bytes(zip[i..i + 4].try_into().unwrap()) as usize;
        let eocd = zip.len() - 22;
        assert_eq!(u32_at(eocd), 0x0605_4b50);
        let n = u16_at(eocd + 10);
        let mut cd = u32_at(eocd + 16);
        let mut out = Vec::new();
        for _ in 0..n {
            assert_eq!(u32_at(cd), 0x0201_4b50);
            let name_len = u16_at(cd + 28);
            let offset = u32_at(cd + 42);
            let name = String::from_utf8(zip[cd + 46..cd + 46 + name_len].to_vec()).unwrap();
            assert_eq!(u32_at(offset), 0x0403_4b50);
            let size = u32_at(offset + 18);
            let data_at = offset + 30 + u16_at(offset + 26) + u16_at(offset + 28);
            let data = zip[data_at..data_at + size].to_vec();
            assert_eq!(crc32fast::hash(&data) as usize, u32_at(offset + 14));
            out.push((name, data));
            cd += 46 + name_len + u16_at(cd + 30) + u16_at(cd + 32);
        }
        out
    }

    #[test]
    fn entries_come_back_in_order_with_their_bytes() {
        let zip = zip_stored(&[("doc.kml", b"<kml/>"), ("a/b.png", &[0u8, 1, 2, 255])]).unwrap();
        let back = read_stored(&zip);
        assert_eq!(back[0], ("doc.kml".to_string(), b"<kml/>".to_vec()));
        assert_eq!(back[1], ("a/b.png".to_string(), vec![0u8, 1, 2, 255]));
    }

    #[test]
    fn the_unzip_tool_accepts_the_archive_when_installed() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("t.zip");
        let zip = zip_stored(&[("doc.kml", b"<kml/>"), ("x.png", b"png")]).unwrap();
        std::fs::write(&p, zip).unwrap();
        let Ok(out) = std::process::Command::new("unzip")
            .arg("-t")
            .arg(&p)
            .output()
        else {
            return; // no unzip on this machine
        };
        assert!(out.status.success(), "{out:?}");
        let list = std::process::Command::new("unzip")
            .arg("-Z1")
            .arg(&p)
            .output()
            .unwrap();
        assert_eq!(String::from_utf8_lossy(&list.stdout), "doc.kml\nx.png\n");
    }
}
