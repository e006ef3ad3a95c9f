//! `--format concise`: one line per finding,
//! `path:line:column: severity[code] message`, as compilers and linters
//! print for editors and `grep`. Lines and columns are 1-based, columns in
//! characters, as in every other output; no source, label or help.

use camp_core::diagnostic::Diagnostic;
use camp_core::source::SourceMap;

/// The lines of the findings, in the order given.
pub fn render(items: &[(&Diagnostic, &SourceMap)], colour: bool) -> String {
    let mut out = String::new();
    for (diagnostic, sources) in items {
        let (file, range) = super::json::range(sources, diagnostic.primary.span);
        let name = format!("{}[{}]", diagnostic.severity.as_str(), diagnostic.code);
        out.push_str(&format!(
            "{}:{}:{}: {} {}\n",
            super::escape_controls(&file),
            range.start.line,
            range.start.column,
            super::human::paint(
                &name,
                super::human::severity_style(diagnostic.severity),
                colour
            ),
            super::human::clean(&diagnostic.message)
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use camp_core::diagnostic::Label;
    use camp_core::source::Span;

    #[test]
    fn one_line_per_finding_with_characters_as_columns() {
        let mut sources = SourceMap::new();
        let file = sources.add(
            "c/规则.camp".into(),
            "c/规则.camp".into(),
            "scene 规则 x\n".into(),
        );
        let x = "scene 规则 ".len();
        let diagnostic = Diagnostic::error(
            "E0105",
            "unexpected `x`\u{1b}",
            Label::new(Span::new(file, x, x + 1), "here"),
        );
        assert_eq!(
            render(&[(&diagnostic, &sources)], false),
            "c/规则.camp:1:10: error[E0105] unexpected `x`\\u{1b}\n"
        );
    }
}
