//! The format `build.rs` packs the web app and the demo catalog in, and `built_in` reads back:
//! file after file, the length of its path (relative, with `/`), the path, the length of its
//! bytes, the bytes; lengths as little-endian `u64`. Std only: the build script includes it too.

/// `files` (path, bytes), packed.
pub fn pack(files: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut packed = Vec::new();
    for (name, bytes) in files {
        packed.extend_from_slice(&(name.len() as u64).to_le_bytes());
        packed.extend_from_slice(name.as_bytes());
        packed.extend_from_slice(&(bytes.len() as u64).to_le_bytes());
        packed.extend_from_slice(bytes);
    }
    packed
}

/// The files of `pack`, or `None` if it is cut short or a path is not UTF-8.
pub fn files(mut pack: &[u8]) -> Option<Vec<(&str, &[u8])>> {
    fn take<'a>(pack: &mut &'a [u8], n: usize) -> Option<&'a [u8]> {
        let (head, rest) = pack.split_at_checked(n)?;
        *pack = rest;
        Some(head)
    }
    fn length(pack: &mut &[u8]) -> Option<usize> {
        let bytes: [u8; 8] = take(pack, 8)?.try_into().ok()?;
        usize::try_from(u64::from_le_bytes(bytes)).ok()
    }
    let mut found = Vec::new();
    while !pack.is_empty() {
        let name_length = length(&mut pack)?;
        let name = std::str::from_utf8(take(&mut pack, name_length)?).ok()?;
        let size = length(&mut pack)?;
        found.push((name, take(&mut pack, size)?));
    }
    Some(found)
}
