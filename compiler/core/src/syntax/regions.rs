//! Which characters of a text are code, string or comment — the one place
//! that knows how strings and `//` comments end, for the scanners that run
//! before or beside the grammar (the look-alike pre-scan, the item splitter,
//! span trimming, the unclosed-brace hint).

/// Where a character stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Region {
    Code,
    /// Inside a string, quotes included. A string ends at its closing
    /// quote or, unterminated, at the end of the line.
    String,
    /// Inside a `//` comment, both slashes included, to the end of the line.
    /// A line ends at `\n` or `\r` (`\r\n`, or a lone `\r`): see
    /// [`crate::source::split_lines_inclusive`].
    Comment,
}

/// The characters of `text` with their byte offsets and regions.
pub fn regions(text: &str) -> Regions<'_> {
    Regions {
        bytes: text.as_bytes(),
        chars: text.char_indices(),
        state: Region::Code,
        escaped: false,
    }
}

pub struct Regions<'a> {
    bytes: &'a [u8],
    chars: std::str::CharIndices<'a>,
    state: Region,
    escaped: bool,
}

impl Iterator for Regions<'_> {
    type Item = (usize, char, Region);

    fn next(&mut self) -> Option<(usize, char, Region)> {
        let (offset, ch) = self.chars.next()?;
        if ch == '\n' || ch == '\r' {
            // Strings and comments never span lines.
            self.state = Region::Code;
            self.escaped = false;
            return Some((offset, ch, Region::Code));
        }
        let region = match self.state {
            Region::Comment => Region::Comment,
            Region::String => {
                if self.escaped {
                    self.escaped = false;
                } else if ch == '\\' {
                    self.escaped = true;
                } else if ch == '"' {
                    self.state = Region::Code;
                }
                Region::String
            }
            Region::Code => match ch {
                '"' => {
                    self.state = Region::String;
                    Region::String
                }
                '/' if self.bytes.get(offset + 1) == Some(&b'/') => {
                    self.state = Region::Comment;
                    Region::Comment
                }
                _ => Region::Code,
            },
        };
        Some((offset, ch, region))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marks(text: &str) -> String {
        regions(text)
            .map(|(_, _, region)| match region {
                Region::Code => 'c',
                Region::String => 's',
                Region::Comment => '/',
            })
            .collect()
    }

    #[test]
    fn strings_and_comments_end_where_they_should() {
        assert_eq!(marks(r#"a "b\"c" d // e"#), "ccssssssccc////");
        assert_eq!(marks("\"open\nx"), "ssssscc");
        assert_eq!(marks("a / b"), "ccccc");
        assert_eq!(marks("\"//\" x"), "sssscc");
        // A lone carriage return ends a line, and so a comment, as in editors.
        assert_eq!(marks("// c\rx\r\ny"), "////ccccc");
        assert_eq!(marks("\"a\rb"), "sscc");
    }
}
