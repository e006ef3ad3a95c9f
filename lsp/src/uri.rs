//! `file://` URIs and paths, through the `url` crate (one of the two URI
//! types `gen-lsp-types` offers; `fluent-uri`, the other, parses URIs but
//! does not turn them into paths). `url` knows the platform's paths: on
//! Windows `file:///C:/a.camp` (or `file:///c%3A/a.camp`, as VS Code
//! writes it) is `C:\a.camp` and `file://server/share/a.camp` is the UNC
//! path `\\server\share\a.camp`; on Unix a host other than this one
//! is no path.

use std::path::{Component, Path, PathBuf};

use url::Url;

/// The path of a `file://` URI, percent-decoded and normalized (see
/// [`normalize`]); `None` for another scheme, a host this machine cannot
/// reach as a path, or a path that is not absolute.
pub fn to_path(uri: &str) -> Option<PathBuf> {
    let url = Url::parse(uri).ok()?;
    if url.scheme() != "file" {
        return None;
    }
    normalize(&url.to_file_path().ok()?)
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

/// The `file://` URI of an absolute path, percent-encoding what must be;
/// `None` for a relative path.
pub fn from_path(path: &Path) -> Option<String> {
    Url::from_file_path(path).ok().map(String::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_paths_with_spaces_and_chinese() {
        let path = PathBuf::from("/work/营销 活动/a.camp");
        let uri = from_path(&path).unwrap_or_default();
        assert_eq!(
            uri,
            "file:///work/%E8%90%A5%E9%94%80%20%E6%B4%BB%E5%8A%A8/a.camp"
        );
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

    #[test]
    fn schemes_and_hosts_are_case_blind_and_query_and_fragment_are_no_path() {
        let a = Some(PathBuf::from("/work/a.camp"));
        assert_eq!(to_path("FILE:///work/a.camp"), a);
        assert_eq!(to_path("file://LocalHost/work/a.camp"), a);
        assert_eq!(to_path("file:///work/a.camp#L3"), a);
        assert_eq!(to_path("file:///work/a.camp?version=2"), a);
        assert_eq!(to_path("file:///work/%61.camp"), a);
        assert_eq!(from_path(Path::new("work/a.camp")), None);
    }

    /// What the server is given for a Windows path, on every platform:
    /// `url` reads the drive letter however the editor writes it.
    #[test]
    fn windows_drive_letters_are_read_however_written() -> Result<(), url::ParseError> {
        for written in [
            "file:///C:/Users/a/b.camp",
            "file:///C%3A/Users/a/b.camp",
            "file://localhost/C:/Users/a/b.camp",
        ] {
            let url = Url::parse(written)?;
            assert_eq!(url.host_str().unwrap_or(""), "", "{written}");
            assert!(
                ["/C:/Users/a/b.camp", "/C%3A/Users/a/b.camp"].contains(&url.path()),
                "{written}: {}",
                url.path()
            );
        }
        let unc = Url::parse("file://server/share/x.camp")?;
        assert_eq!(unc.host_str(), Some("server"));
        assert_eq!(unc.path(), "/share/x.camp");
        Ok(())
    }

    #[cfg(windows)]
    #[test]
    fn windows_paths_drive_letters_and_unc_shares() {
        let b = PathBuf::from(r"C:\Users\a\b.camp");
        assert_eq!(to_path("file:///C:/Users/a/b.camp"), Some(b.clone()));
        assert_eq!(to_path("file:///C%3A/Users/a/b.camp"), Some(b.clone()));
        assert_eq!(
            to_path("file:///c%3A/Users/a/b.camp"),
            Some(PathBuf::from(r"c:\Users\a\b.camp"))
        );
        assert_eq!(from_path(&b).as_deref(), Some("file:///C:/Users/a/b.camp"));
        let unc = PathBuf::from(r"\\server\share\x.camp");
        assert_eq!(to_path("file://server/share/x.camp"), Some(unc.clone()));
        assert_eq!(
            from_path(&unc).as_deref(),
            Some("file://server/share/x.camp")
        );
        let chinese = PathBuf::from(r"D:\营销 活动\a.camp");
        let uri = from_path(&chinese).unwrap_or_default();
        assert_eq!(
            uri,
            "file:///D:/%E8%90%A5%E9%94%80%20%E6%B4%BB%E5%8A%A8/a.camp"
        );
        assert_eq!(to_path(&uri), Some(chinese));
        assert_eq!(to_path("file:///C:/work/../Users/./a/b.camp"), Some(b));
    }

    #[cfg(unix)]
    #[test]
    fn on_unix_a_drive_letter_is_a_folder_and_a_share_is_no_path() {
        assert_eq!(
            to_path("file:///C%3A/Users/a/b.camp"),
            Some(PathBuf::from("/C:/Users/a/b.camp"))
        );
        assert_eq!(to_path("file://server/share/x.camp"), None);
        assert_eq!(
            to_path("file:///work/%E8%90%A5%E9%94%80%20%E6%B4%BB%E5%8A%A8/a.camp"),
            Some(PathBuf::from("/work/营销 活动/a.camp"))
        );
    }
}
