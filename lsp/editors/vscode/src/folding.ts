// Folding by braces, brackets and parentheses, and for runs of comment
// lines. Used only while the language server does not offer folding ranges
// itself. No `vscode` import, so the unit tests run under plain Node.

export interface Fold {
  /** First line (0-based) of the folded region: the line with the opening bracket. */
  start: number;
  /** Last line folded: the line before the closing bracket, so it stays visible. */
  end: number;
  kind?: 'comment';
}

const OPEN: Record<string, string> = { '{': '}', '[': ']', '(': ')' };
const CLOSE = new Set(Object.values(OPEN));

export function foldingRanges(text: string): Fold[] {
  const folds: Fold[] = [];
  const stack: { char: string; line: number }[] = [];
  const lines = text.split(/\r\n|\r|\n/);
  let commentRun: number | undefined;

  const endCommentRun = (line: number) => {
    if (commentRun !== undefined && line - 1 > commentRun) {
      folds.push({ start: commentRun, end: line - 1, kind: 'comment' });
    }
    commentRun = undefined;
  };

  lines.forEach((lineText, line) => {
    if (/^\s*\/\//.test(lineText)) {
      commentRun ??= line;
    } else {
      endCommentRun(line);
    }
    let inString = false;
    for (let i = 0; i < lineText.length; i++) {
      const ch = lineText[i];
      if (inString) {
        if (ch === '\\') {
          i++;
        } else if (ch === '"') {
          inString = false;
        }
        continue;
      }
      if (ch === '"') {
        inString = true;
      } else if (ch === '/' && lineText[i + 1] === '/') {
        break;
      } else if (ch in OPEN) {
        stack.push({ char: ch, line });
      } else if (CLOSE.has(ch)) {
        // Pop to the matching opener; an unmatched closer is ignored.
        for (let j = stack.length - 1; j >= 0; j--) {
          if (OPEN[stack[j].char] === ch) {
            const open = stack[j];
            stack.length = j;
            if (line - 1 > open.line) {
              folds.push({ start: open.line, end: line - 1 });
            }
            break;
          }
        }
      }
    }
  });
  endCommentRun(lines.length);
  return folds.sort((a, b) => a.start - b.start || b.end - a.end);
}
