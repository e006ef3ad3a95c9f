//! `file://` URIs and paths.

use std::path::{Component, Path, PathBuf};

/// The path of a `file://` URI, percent-decoded and normalized (see
/// [`normalize`]); `None` for another scheme, a remote host or a path
/// that is not absolute.
pub fn to_path(uri: &str) -> Option<PathBuf> {
    let rest = uri.strip_prefix("file://")?;
    let rest = rest.strip_prefix("localhost").unwrap_or(rest);
    let bytes = rest.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while let Some(&byte) = bytes.get(index) {
        if byte == b'%'
            && let Some(hex) = rest.get(index + 1..index + 3)
            && let Ok(value) = u8::from_str_radix(hex, 16)
        {
            decoded.push(value);
            index += 3;
            continue;
        }
        decoded.push(byte);
        index += 1;
    }
    let path = String::from_utf8(decoded).ok().map(PathBuf::from)?;
    normalize(&path)
}

/// An absolute path without `.` and `..`: `/work/a/../../etc/passwd` is
/// `/etc/passwd`, so that "inside a folder" means inside it. `None` for a
/// relative path or one holding a NUL.
pub fn normalize(path: &Path) -> Option<PathBuf> {
    if !path.is_absolute() || path.as_os_str().as_encoded_bytes().contains(&0) {
        return None;
    }
    let mut normal = PathBuf::new();
    for component in path.components() {
        match component {
            Component::Prefix(_) | Component::RootDir | Component::Normal(_) => {
                normal.push(component)
            }
            Component::CurDir => {}
            Component::ParentDir => {
                normal.pop();
            }
        }
    }
    Some(normal)
}

/// The `file://` URI of an absolute path, percent-encoding what must be.
pub fn from_path(path: &Path) -> String {
    let text = path.to_string_lossy();
    let mut uri = String::from("file://");
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"/-._~".contains(&byte) {
            uri.push(char::from(byte));
        } else {
            uri.push_str(&format!("%{byte:02X}"));
        }
    }
    uri
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_paths_with_spaces_and_chinese() {
        let path = PathBuf::from("/work/营销 活动/a.camp");
        let uri = from_path(&path);
        assert!(uri.starts_with("file:///work/%E8"), "{uri}");
        assert_eq!(to_path(&uri), Some(path));
        assert_eq!(to_path("https://example.com"), None);
    }

    #[test]
    fn paths_are_absolute_and_normalized() {
        assert_eq!(
            to_path("file:///work/ws/../../etc/./passwd"),
            Some(PathBuf::from("/etc/passwd"))
        );
        assert_eq!(
            to_path("file:///work/ws/%2E%2E/%2E%2E/etc/shadow"),
            Some(PathBuf::from("/etc/shadow"))
        );
        assert_eq!(to_path("file:///../.."), Some(PathBuf::from("/")));
        assert_eq!(
            to_path("file://localhost/work/a.camp"),
            Some(PathBuf::from("/work/a.camp"))
        );
        // A host other than this one, a relative path, a NUL.
        assert_eq!(to_path("file://server/share/a.camp"), None);
        assert_eq!(to_path("file://a.camp"), None);
        assert_eq!(to_path("file:///work/a%00.camp"), None);
    }
}
