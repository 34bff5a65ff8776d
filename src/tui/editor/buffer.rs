//! The query editor's text: lines of characters and a cursor, with the
//! moves and edits a multi-line input needs, and the mapping between byte
//! offsets into the whole text (where KQL errors point) and line/column.

/// A cursor position: line and column, both counted in characters.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Pos {
    /// Line, from 0.
    pub line: usize,
    /// Column in characters, from 0.
    pub col: usize,
}

/// Multi-line text with a cursor. Never empty: at least one (empty) line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TextBuffer {
    lines: Vec<String>,
    cursor: Pos,
    /// The column Up/Down aim for, kept across short lines.
    goal: Option<usize>,
}

impl Default for TextBuffer {
    fn default() -> Self {
        TextBuffer { lines: vec![String::new()], cursor: Pos::default(), goal: None }
    }
}

/// The byte index of character `col` in `s` (its length past the end).
fn byte_at(s: &str, col: usize) -> usize {
    s.char_indices().nth(col).map_or(s.len(), |(i, _)| i)
}

fn chars(s: &str) -> usize {
    s.chars().count()
}

impl TextBuffer {
    /// A buffer holding `text`, the cursor at its end.
    pub fn from_text(text: &str) -> TextBuffer {
        let lines: Vec<String> = text.split('\n').map(|l| l.trim_end_matches('\r').to_string()).collect();
        let line = lines.len() - 1;
        let col = chars(&lines[line]);
        TextBuffer { lines, cursor: Pos { line, col }, goal: None }
    }

    /// The whole text, lines joined with `\n`.
    pub fn text(&self) -> String {
        self.lines.join("\n")
    }

    /// The lines.
    pub fn lines(&self) -> &[String] {
        &self.lines
    }

    /// The cursor.
    pub fn cursor(&self) -> Pos {
        self.cursor
    }

    /// True when the text is only white space.
    pub fn is_blank(&self) -> bool {
        self.lines.iter().all(|l| l.trim().is_empty())
    }

    /// True when the cursor is on the first line.
    pub fn on_first_line(&self) -> bool {
        self.cursor.line == 0
    }

    /// True when the cursor is on the last line.
    pub fn on_last_line(&self) -> bool {
        self.cursor.line + 1 == self.lines.len()
    }

    fn line_len(&self, line: usize) -> usize {
        self.lines.get(line).map_or(0, |l| chars(l))
    }

    /// Moves the cursor to `pos`, clamped into the text.
    pub fn set_cursor(&mut self, pos: Pos) {
        let line = pos.line.min(self.lines.len() - 1);
        self.cursor = Pos { line, col: pos.col.min(self.line_len(line)) };
        self.goal = None;
    }

    /// Types one character (a `\n` splits the line).
    pub fn insert(&mut self, ch: char) {
        if ch == '\n' {
            return self.newline();
        }
        let Pos { line, col } = self.cursor;
        let at = byte_at(&self.lines[line], col);
        self.lines[line].insert(at, ch);
        self.cursor.col += 1;
        self.goal = None;
    }

    /// Types a string: `\r\n`, `\r` (terminals paste line breaks as CR)
    /// and `\n` break the line; a tab becomes a space, as Tab completes.
    pub fn insert_str(&mut self, s: &str) {
        for ch in s.replace("\r\n", "\n").chars() {
            self.insert(match ch {
                '\r' => '\n',
                '\t' => ' ',
                c => c,
            });
        }
    }

    /// Splits the line at the cursor; the cursor goes to the new line's start.
    pub fn newline(&mut self) {
        let Pos { line, col } = self.cursor;
        let at = byte_at(&self.lines[line], col);
        let rest = self.lines[line].split_off(at);
        self.lines.insert(line + 1, rest);
        self.cursor = Pos { line: line + 1, col: 0 };
        self.goal = None;
    }

    /// Deletes the character before the cursor; at a line's start, joins it to the previous line.
    pub fn backspace(&mut self) {
        let Pos { line, col } = self.cursor;
        if col > 0 {
            let at = byte_at(&self.lines[line], col - 1);
            self.lines[line].remove(at);
            self.cursor.col -= 1;
        } else if line > 0 {
            let cur = self.lines.remove(line);
            let prev_len = self.line_len(line - 1);
            self.lines[line - 1].push_str(&cur);
            self.cursor = Pos { line: line - 1, col: prev_len };
        }
        self.goal = None;
    }

    /// Deletes the character under the cursor; at a line's end, joins the next line to it.
    pub fn delete(&mut self) {
        let Pos { line, col } = self.cursor;
        if col < self.line_len(line) {
            let at = byte_at(&self.lines[line], col);
            self.lines[line].remove(at);
        } else if line + 1 < self.lines.len() {
            let next = self.lines.remove(line + 1);
            self.lines[line].push_str(&next);
        }
        self.goal = None;
    }

    /// One character left, onto the previous line's end at a line's start.
    pub fn left(&mut self) {
        let Pos { line, col } = self.cursor;
        if col > 0 {
            self.cursor.col -= 1;
        } else if line > 0 {
            self.cursor = Pos { line: line - 1, col: self.line_len(line - 1) };
        }
        self.goal = None;
    }

    /// One character right, onto the next line's start at a line's end.
    pub fn right(&mut self) {
        let Pos { line, col } = self.cursor;
        if col < self.line_len(line) {
            self.cursor.col += 1;
        } else if line + 1 < self.lines.len() {
            self.cursor = Pos { line: line + 1, col: 0 };
        }
        self.goal = None;
    }

    /// One line up or down (`delta` of -1 or 1), keeping the column where it can.
    pub fn vertical(&mut self, delta: isize) {
        let goal = *self.goal.get_or_insert(self.cursor.col);
        let line = self.cursor.line.saturating_add_signed(delta).min(self.lines.len() - 1);
        self.cursor = Pos { line, col: goal.min(self.line_len(line)) };
    }

    /// To the start of the line.
    pub fn home(&mut self) {
        self.cursor.col = 0;
        self.goal = None;
    }

    /// To the end of the line.
    pub fn end(&mut self) {
        self.cursor.col = self.line_len(self.cursor.line);
        self.goal = None;
    }

    /// The byte offset of `pos` in [`TextBuffer::text`].
    pub fn byte_of(&self, pos: Pos) -> usize {
        let line = pos.line.min(self.lines.len() - 1);
        let before: usize = self.lines[..line].iter().map(|l| l.len() + 1).sum();
        before + byte_at(&self.lines[line], pos.col)
    }

    /// The cursor's byte offset in [`TextBuffer::text`].
    pub fn cursor_byte(&self) -> usize {
        self.byte_of(self.cursor)
    }

    /// The line and column of byte `at` of [`TextBuffer::text`] (clamped;
    /// a byte inside a multibyte character counts as that character).
    pub fn pos_of(&self, at: usize) -> Pos {
        let mut start = 0;
        for (line, l) in self.lines.iter().enumerate() {
            if at <= start + l.len() {
                let within = at - start;
                let col = l.char_indices().take_while(|(i, _)| *i < within).count();
                // Inside a character: that character, not the next.
                let col = if l.is_char_boundary(within.min(l.len())) { col } else { col - 1 };
                return Pos { line, col };
            }
            start += l.len() + 1;
        }
        let line = self.lines.len() - 1;
        Pos { line, col: self.line_len(line) }
    }

    /// Replaces characters `from..to` of the cursor's line with `with`; the
    /// cursor goes after it (completion).
    pub fn replace_in_line(&mut self, from: usize, to: usize, with: &str) {
        let line = self.cursor.line;
        let l = &mut self.lines[line];
        let (a, b) = (byte_at(l, from), byte_at(l, to.max(from)));
        l.replace_range(a..b, with);
        self.cursor.col = from + chars(with);
        self.goal = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed(s: &str) -> TextBuffer {
        let mut b = TextBuffer::default();
        b.insert_str(s);
        b
    }

    #[test]
    fn typing_newline_and_backspace_join() {
        let mut b = typed("T | take 1");
        b.home();
        for _ in 0..2 {
            b.right();
        }
        b.newline();
        assert_eq!(b.lines(), ["T ", "| take 1"]);
        assert_eq!(b.cursor(), Pos { line: 1, col: 0 });
        b.backspace();
        assert_eq!(b.text(), "T | take 1");
        assert_eq!(b.cursor(), Pos { line: 0, col: 2 });
        b.end();
        b.newline();
        b.insert_str("| count");
        b.set_cursor(Pos { line: 0, col: 99 });
        b.delete();
        assert_eq!(b.text(), "T | take 1| count");
        assert_eq!(b.lines().len(), 1);
    }

    #[test]
    fn cursor_moves_across_lines() {
        let mut b = typed("long line\nab\nxyz");
        assert_eq!(b.cursor(), Pos { line: 2, col: 3 });
        b.vertical(-1);
        assert_eq!(b.cursor(), Pos { line: 1, col: 2 });
        b.vertical(-1);
        assert_eq!(b.cursor(), Pos { line: 0, col: 3 }, "the goal column is kept across a short line");
        b.home();
        b.left();
        assert_eq!(b.cursor(), Pos { line: 0, col: 0 }, "nothing before the start");
        b.end();
        b.right();
        assert_eq!(b.cursor(), Pos { line: 1, col: 0 });
        b.left();
        assert_eq!(b.cursor(), Pos { line: 0, col: 9 });
        b.vertical(10);
        assert_eq!(b.cursor().line, 2);
        assert!(b.on_last_line() && !b.on_first_line());
    }

    #[test]
    fn bytes_map_to_lines_and_columns_with_multibyte_text() {
        let b = typed("T | where A == 'é€'\n| where Nope > 1");
        let text = b.text();
        let at = text.find("Nope").unwrap();
        assert_eq!(b.pos_of(at), Pos { line: 1, col: 8 });
        assert_eq!(b.byte_of(Pos { line: 1, col: 8 }), at);
        let quote = text.rfind('\'').unwrap();
        assert_eq!(b.pos_of(quote), Pos { line: 0, col: 18 }, "é and € are one column each");
        assert_eq!(b.pos_of(text.find('€').unwrap() + 1), Pos { line: 0, col: 17 }, "inside a character");
        assert_eq!(b.pos_of(usize::MAX), Pos { line: 1, col: 16 });
        assert_eq!(b.cursor_byte(), text.len());
        for (i, _) in text.char_indices() {
            assert_eq!(b.byte_of(b.pos_of(i)), i, "round trip at {i}");
        }
    }

    #[test]
    fn from_text_and_replace() {
        let mut pasted = TextBuffer::default();
        pasted.insert_str("T\r| take 1\r\n| count\n\tx");
        assert_eq!(pasted.lines(), ["T", "| take 1", "| count", " x"]);
        let mut b = TextBuffer::from_text("a\r\nDevi");
        assert_eq!(b.lines(), ["a", "Devi"]);
        b.replace_in_line(0, 4, "DeviceName");
        assert_eq!(b.text(), "a\nDeviceName");
        assert_eq!(b.cursor(), Pos { line: 1, col: 10 });
        assert!(TextBuffer::from_text(" \n ").is_blank());
    }
}
