//! What an uploaded list is before its rows are read, as spreadsheet
//! programs really write them: a workbook, PDF or image sent by mistake is
//! named for what it is; the text encoding is told from the bytes (UTF-8
//! with or without a byte-order mark, UTF-16 from Excel's "Unicode Text",
//! or Windows-1252 and Mac Roman, which Excel's plain "CSV" writes on
//! Windows and on older Macs); line ends may be LF, CRLF or CR; the
//! delimiter (comma, semicolon or tab) is told from the header line.
//!
//! Bytes go in as chunks of any size and come out as UTF-8 with `\n` line
//! ends. Every decision depends on the bytes alone, never on where the
//! chunks were cut, so both passes of an import read a file the same way;
//! what is held back is bounded ([`HEAD_BYTES`], [`LEGACY_WINDOW`]).

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

/// The first bytes looked at to tell what a file is.
pub const HEAD_BYTES: usize = 8 * 1024;

/// How many bytes, from the first byte that UTF-8 cannot have, tell
/// Windows-1252 from Mac Roman.
pub const LEGACY_WINDOW: usize = 4 * 1024;

/// The encoding a text file was read in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum TextEncoding {
    #[serde(rename = "utf-8")]
    Utf8,
    #[serde(rename = "utf-16le")]
    Utf16Le,
    #[serde(rename = "utf-16be")]
    Utf16Be,
    /// Excel's plain "CSV" on Windows in Western Europe (ISO-8859-1 read as
    /// its superset).
    #[serde(rename = "windows-1252")]
    Windows1252,
    /// Excel's plain "CSV" on older Macs.
    #[serde(rename = "macintosh")]
    MacRoman,
}

impl TextEncoding {
    pub fn as_str(self) -> &'static str {
        match self {
            TextEncoding::Utf8 => "utf-8",
            TextEncoding::Utf16Le => "utf-16le",
            TextEncoding::Utf16Be => "utf-16be",
            TextEncoding::Windows1252 => "windows-1252",
            TextEncoding::MacRoman => "macintosh",
        }
    }
}

/// A file that is not text at all, by what it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NotText {
    /// An Excel workbook (.xlsx).
    Xlsx,
    /// An Excel 97–2003 workbook (.xls) or another old Office document.
    Xls,
    /// A LibreOffice or OpenOffice spreadsheet (.ods).
    Ods,
    /// An Apple Numbers document.
    Numbers,
    /// Another ZIP archive.
    Zip,
    Pdf,
    Image,
}

impl NotText {
    /// What the file is, in English.
    pub fn describe(self) -> &'static str {
        match self {
            NotText::Xlsx => "an Excel workbook (.xlsx)",
            NotText::Xls => "an Excel 97-2003 workbook (.xls)",
            NotText::Ods => "a LibreOffice spreadsheet (.ods)",
            NotText::Numbers => "a Numbers document",
            NotText::Zip => "a ZIP archive",
            NotText::Pdf => "a PDF document",
            NotText::Image => "an image",
        }
    }

    /// How to make the CSV file, in English.
    pub fn advice(self) -> &'static str {
        match self {
            NotText::Xlsx | NotText::Xls => {
                "open it in Excel, choose File > Save As and the type \"CSV UTF-8 (Comma delimited) (*.csv)\", and upload that file"
            }
            NotText::Ods => {
                "open it in LibreOffice, choose File > Save As, the type \"Text CSV (.csv)\" and the character set \"Unicode (UTF-8)\", and upload that file"
            }
            NotText::Numbers => {
                "open it in Numbers, choose File > Export To > CSV with the text encoding \"Unicode (UTF-8)\", and upload that file"
            }
            NotText::Zip => "unpack it and upload the CSV file inside",
            NotText::Pdf | NotText::Image => "export the list as a CSV UTF-8 file from the program that holds it",
        }
    }
}

/// Why the bytes are not a text file that can be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TextError {
    /// A workbook, PDF, image or archive.
    NotText(NotText),
    /// NUL bytes (at this byte) that no text encoding explains.
    Binary(u64),
    /// UTF-8 up to this line, then bytes UTF-8 cannot have.
    MixedEncoding { line: u64 },
}

/// Where the decoder stands.
enum Mode {
    /// Collecting the first [`HEAD_BYTES`].
    Head,
    /// UTF-8; `ascii`: nothing but ASCII so far (a legacy encoding is still
    /// possible), `bom`: it said so with a byte-order mark.
    Utf8 {
        ascii: bool,
        bom: bool,
    },
    /// ASCII so far, then a byte UTF-8 cannot have: collecting
    /// [`LEGACY_WINDOW`] bytes to tell which legacy encoding it is.
    Deciding,
    /// A one-byte legacy encoding.
    Single(&'static encoding_rs::Encoding),
    Utf16(Box<encoding_rs::Decoder>),
}

/// Turns a file's bytes into UTF-8 text with `\n` line ends.
pub struct Decoder {
    mode: Mode,
    encoding: Option<TextEncoding>,
    /// The head, an incomplete UTF-8 sequence, or the legacy window.
    pending: Vec<u8>,
    /// Bytes of the file before `pending` and the current input.
    seen: u64,
    ends: LineEnds,
    scratch: Vec<u8>,
}

impl Default for Decoder {
    fn default() -> Self {
        Self::new()
    }
}

impl Decoder {
    pub fn new() -> Self {
        Decoder { mode: Mode::Head, encoding: None, pending: Vec::new(), seen: 0, ends: LineEnds::default(), scratch: Vec::new() }
    }

    /// The encoding, once known (UTF-8 may still turn into a legacy
    /// encoding while everything read is ASCII).
    pub fn encoding(&self) -> Option<TextEncoding> {
        self.encoding
    }

    /// Decodes a chunk, appending the text to `out`.
    pub fn push(&mut self, input: &[u8], out: &mut Vec<u8>) -> Result<(), TextError> {
        self.step(input, false, out)
    }

    /// Ends the file, appending what was held back to `out`.
    pub fn finish(&mut self, out: &mut Vec<u8>) -> Result<(), TextError> {
        self.step(&[], true, out)?;
        if std::mem::take(&mut self.ends.cr) {
            out.push(b'\n');
            self.ends.lines += 1;
        }
        Ok(())
    }

    fn step(&mut self, input: &[u8], last: bool, out: &mut Vec<u8>) -> Result<(), TextError> {
        if matches!(self.mode, Mode::Head) {
            self.pending.extend_from_slice(input);
            if self.pending.len() < HEAD_BYTES && !last {
                return Ok(());
            }
            let head = std::mem::take(&mut self.pending);
            let skip = self.begin(&head)?;
            self.seen += skip as u64;
            return self.step(&head[skip..], last, out);
        }
        if !matches!(self.mode, Mode::Utf16(_)) {
            if let Some(at) = input.iter().position(|b| *b == 0) {
                return Err(TextError::Binary(self.seen + self.pending.len() as u64 + at as u64));
            }
        }
        match self.mode {
            Mode::Head => Ok(()),
            Mode::Utf8 { .. } => self.utf8(input, last, out),
            Mode::Deciding => {
                self.pending.extend_from_slice(input);
                if self.pending.len() < LEGACY_WINDOW && !last {
                    return Ok(());
                }
                let window = std::mem::take(&mut self.pending);
                let encoding = legacy_encoding(&window[..window.len().min(LEGACY_WINDOW)])
                    .ok_or(TextError::MixedEncoding { line: self.ends.lines + 1 })?;
                self.encoding = Some(encoding);
                self.mode =
                    Mode::Single(if encoding == TextEncoding::MacRoman { encoding_rs::MACINTOSH } else { encoding_rs::WINDOWS_1252 });
                self.step(&window, last, out)
            }
            Mode::Single(encoding) => {
                let (text, _) = encoding.decode_without_bom_handling(input);
                self.seen += input.len() as u64;
                self.ends.emit(text.as_bytes(), out);
                Ok(())
            }
            Mode::Utf16(_) => self.utf16(input, last, out),
        }
    }

    fn utf16(&mut self, input: &[u8], last: bool, out: &mut Vec<u8>) -> Result<(), TextError> {
        let Mode::Utf16(decoder) = &mut self.mode else { return Ok(()) };
        let scratch = &mut self.scratch;
        let mut rest = input;
        loop {
            let room = decoder.max_utf8_buffer_length(rest.len()).unwrap_or(rest.len() * 3 + 16).max(16);
            scratch.clear();
            scratch.resize(room, 0);
            let (result, read, written, _) = decoder.decode_to_utf8(rest, scratch, last);
            if scratch[..written].contains(&0) {
                return Err(TextError::Binary(self.seen));
            }
            rest = &rest[read..];
            self.ends.emit(&scratch[..written], out);
            if result == encoding_rs::CoderResult::InputEmpty {
                break;
            }
        }
        self.seen += input.len() as u64;
        Ok(())
    }

    /// Decides from the head what the file is; returns how many bytes (a
    /// UTF-8 byte-order mark) to skip.
    fn begin(&mut self, head: &[u8]) -> Result<usize, TextError> {
        if head.starts_with(b"\xEF\xBB\xBF") {
            self.utf8_mode(false, true);
            return Ok(3);
        }
        let utf16 = if head.starts_with(b"\xFF\xFE") {
            Some(TextEncoding::Utf16Le)
        } else if head.starts_with(b"\xFE\xFF") {
            Some(TextEncoding::Utf16Be)
        } else if let Some(kind) = not_text(head) {
            return Err(TextError::NotText(kind));
        } else {
            utf16_without_bom(head)
        };
        match utf16 {
            Some(e) => {
                let encoding = if e == TextEncoding::Utf16Le { encoding_rs::UTF_16LE } else { encoding_rs::UTF_16BE };
                self.mode = Mode::Utf16(Box::new(encoding.new_decoder_with_bom_removal()));
                self.encoding = Some(e);
            }
            None => self.utf8_mode(true, false),
        }
        Ok(0)
    }

    fn utf8_mode(&mut self, ascii: bool, bom: bool) {
        self.mode = Mode::Utf8 { ascii, bom };
        self.encoding = Some(TextEncoding::Utf8);
    }

    fn utf8(&mut self, input: &[u8], last: bool, out: &mut Vec<u8>) -> Result<(), TextError> {
        let data: Cow<[u8]> = if self.pending.is_empty() {
            Cow::Borrowed(input)
        } else {
            let mut joined = std::mem::take(&mut self.pending);
            joined.extend_from_slice(input);
            Cow::Owned(joined)
        };
        let before = self.seen;
        let (valid, bad) = match std::str::from_utf8(&data) {
            Ok(_) => (data.len(), None),
            Err(e) => (e.valid_up_to(), Some(e.error_len())),
        };
        let Mode::Utf8 { ascii, bom } = &mut self.mode else { return Ok(()) };
        let (was_ascii, bom) = (*ascii, *bom);
        let ascii_up_to_bad = was_ascii && data[..valid].is_ascii();
        *ascii = ascii_up_to_bad;
        self.seen = before + valid as u64;
        self.ends.emit(&data[..valid], out);
        match bad {
            None => Ok(()),
            // a sequence cut by the chunk's end: its rest comes next
            Some(None) if !last => {
                self.pending = data[valid..].to_vec();
                Ok(())
            }
            Some(_) if ascii_up_to_bad && !bom => {
                self.mode = Mode::Deciding;
                self.encoding = None;
                self.step(&data[valid..], last, out)
            }
            Some(_) => Err(TextError::MixedEncoding { line: self.ends.lines + 1 }),
        }
    }
}

/// Line ends made `\n` (CRLF and a lone CR alike), counted.
#[derive(Default)]
struct LineEnds {
    /// A `\r` was the last byte (its `\n` may follow).
    cr: bool,
    /// Line ends written so far.
    lines: u64,
}

impl LineEnds {
    fn emit(&mut self, text: &[u8], out: &mut Vec<u8>) {
        out.reserve(text.len());
        for &b in text {
            if std::mem::take(&mut self.cr) {
                out.push(b'\n');
                self.lines += 1;
                if b == b'\n' {
                    continue;
                }
            }
            match b {
                b'\r' => self.cr = true,
                b'\n' => {
                    out.push(b'\n');
                    self.lines += 1;
                }
                _ => out.push(b),
            }
        }
    }
}

/// A workbook, PDF, image or archive, by its first bytes.
pub fn not_text(head: &[u8]) -> Option<NotText> {
    let has = |needle: &[u8]| head.windows(needle.len()).any(|w| w == needle);
    if head.starts_with(b"PK\x03\x04") {
        return Some(if has(b"mimetypeapplication/vnd.oasis.opendocument") {
            NotText::Ods
        } else if has(b"xl/") {
            NotText::Xlsx
        } else if has(b"Index/") {
            NotText::Numbers
        } else {
            NotText::Zip
        });
    }
    let kinds: [(&[u8], NotText); 9] = [
        (b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", NotText::Xls),
        (b"%PDF-", NotText::Pdf),
        (b"\x89PNG", NotText::Image),
        (b"\xFF\xD8\xFF", NotText::Image),
        (b"GIF87a", NotText::Image),
        (b"GIF89a", NotText::Image),
        (b"II*\x00", NotText::Image),
        (b"MM\x00*", NotText::Image),
        (b"PK\x05\x06", NotText::Zip),
    ];
    kinds.iter().find(|(magic, _)| head.starts_with(magic)).map(|(_, kind)| *kind)
}

/// UTF-16 without a byte-order mark: mostly ASCII text with a NUL in
/// every other byte.
fn utf16_without_bom(head: &[u8]) -> Option<TextEncoding> {
    let pairs = &head[..head.len().min(512) & !1];
    if pairs.len() < 8 {
        return None;
    }
    let n = pairs.len() / 2;
    let zeros = |parity: usize| pairs.iter().skip(parity).step_by(2).filter(|b| **b == 0).count();
    let (even, odd) = (zeros(0), zeros(1));
    if odd * 10 >= n * 9 && even == 0 {
        Some(TextEncoding::Utf16Le)
    } else if even * 10 >= n * 9 && odd == 0 {
        Some(TextEncoding::Utf16Be)
    } else {
        None
    }
}

/// Letters and marks that names and addresses in the markets' languages
/// use: the legacy encoding that turns more of the bytes into these wins.
const LIKELY: &str = "äöüÄÖÜßåÅéÉèÈêàáâçñóòôíìîúùûëïøØæÆõÕ€’‘“”„–—…";

/// Which legacy encoding a window starting at a byte UTF-8 cannot have is
/// in: Windows-1252 unless Mac Roman reads more of its bytes as the
/// letters of names; none when the window also holds UTF-8 sequences (a
/// file of mixed encodings, which no choice would read right).
pub fn legacy_encoding(window: &[u8]) -> Option<TextEncoding> {
    let (mut windows, mut mac, mut utf8) = (0, 0, 0);
    let mut i = 0;
    while i < window.len() {
        let b = window[i];
        if b < 0x80 {
            i += 1;
            continue;
        }
        let len = match b {
            0xC2..=0xDF => 2,
            0xE0..=0xEF => 3,
            0xF0..=0xF4 => 4,
            _ => 0,
        };
        if len > 0 && window.get(i..i + len).is_some_and(|s| std::str::from_utf8(s).is_ok()) {
            utf8 += 1;
            i += len;
            continue;
        }
        let one = [b];
        let likely = |e: &'static encoding_rs::Encoding| e.decode_without_bom_handling(&one).0.chars().all(|c| LIKELY.contains(c));
        windows += usize::from(likely(encoding_rs::WINDOWS_1252));
        mac += usize::from(likely(encoding_rs::MACINTOSH));
        i += 1;
    }
    if utf8 > 0 {
        None
    } else if mac > windows {
        Some(TextEncoding::MacRoman)
    } else {
        Some(TextEncoding::Windows1252)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(bytes: &[u8], chunk: usize) -> Result<(String, Option<TextEncoding>), TextError> {
        let mut d = Decoder::new();
        let mut out = Vec::new();
        for c in bytes.chunks(chunk.max(1)) {
            d.push(c, &mut out)?;
        }
        d.finish(&mut out)?;
        Ok((String::from_utf8(out).expect("the decoder writes UTF-8"), d.encoding()))
    }

    #[test]
    fn line_ends_become_newlines_wherever_the_chunks_are_cut() {
        for chunk in [1, 2, 5, 100] {
            assert_eq!(decode(b"a\r\nb\rc\nd\r", chunk).unwrap().0, "a\nb\nc\nd\n");
            assert_eq!(decode(b"a\r\r\nb", chunk).unwrap().0, "a\n\nb");
        }
    }

    #[test]
    fn utf8_with_and_without_bom_and_utf16_both_ways() {
        let text = "Email\tNäme\r\nä@example.com\tJärvinen\r\n";
        let utf16le: Vec<u8> = [0xFF, 0xFE].into_iter().chain(text.encode_utf16().flat_map(u16::to_le_bytes)).collect();
        let utf16be: Vec<u8> = [0xFE, 0xFF].into_iter().chain(text.encode_utf16().flat_map(u16::to_be_bytes)).collect();
        let bare_le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let expected = "Email\tNäme\nä@example.com\tJärvinen\n";
        for chunk in [1, 3, 4096] {
            assert_eq!(decode(text.as_bytes(), chunk).unwrap(), (expected.into(), Some(TextEncoding::Utf8)));
            let bom = [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat();
            assert_eq!(decode(&bom, chunk).unwrap(), (expected.into(), Some(TextEncoding::Utf8)));
            assert_eq!(decode(&utf16le, chunk).unwrap(), (expected.into(), Some(TextEncoding::Utf16Le)));
            assert_eq!(decode(&utf16be, chunk).unwrap(), (expected.into(), Some(TextEncoding::Utf16Be)));
            assert_eq!(decode(&bare_le, chunk).unwrap(), (expected.into(), Some(TextEncoding::Utf16Le)));
        }
    }

    #[test]
    fn windows_and_mac_text_are_told_apart_and_transcoded() {
        // "Müller;Järvinen;Straße" in Windows-1252, then in Mac Roman
        let windows = b"M\xfcller;J\xe4rvinen;Stra\xdfe\n";
        let mac = b"M\x9fller;J\x8arvinen;Stra\xa7e\n";
        for chunk in [1, 2, 4096] {
            assert_eq!(decode(windows, chunk).unwrap(), ("Müller;Järvinen;Straße\n".into(), Some(TextEncoding::Windows1252)));
            assert_eq!(decode(mac, chunk).unwrap(), ("Müller;Järvinen;Straße\n".into(), Some(TextEncoding::MacRoman)));
        }
        // an apostrophe alone is Windows text (Mac Roman would read it as "í")
        assert_eq!(legacy_encoding(b"\x92Brien"), Some(TextEncoding::Windows1252));
    }

    #[test]
    fn ascii_far_into_the_file_then_windows_text_is_still_one_encoding() {
        let mut file = "Email;FirstName;LastName\n".to_string().into_bytes();
        for i in 0..2_000 {
            file.extend(format!("c{i}@example.com;First;Last\n").bytes());
        }
        file.extend(b"m@example.com;J\xfcrgen;M\xfcller\n");
        let (text, encoding) = decode(&file, 777).unwrap();
        assert!(text.ends_with("m@example.com;Jürgen;Müller\n"));
        assert_eq!(encoding, Some(TextEncoding::Windows1252));
    }

    #[test]
    fn a_file_of_mixed_encodings_is_refused_with_the_line() {
        // UTF-8 "ä" on line 2, then a Windows-1252 "ü" on line 3
        assert_eq!(decode(b"a\nJ\xc3\xa4rvinen\nM\xfcller\n", 5).unwrap_err(), TextError::MixedEncoding { line: 3 });
        // ASCII, then Windows-1252 and UTF-8 in the same window
        assert_eq!(decode(b"a\nM\xfcller\nJ\xc3\xa4rvinen\n", 5).unwrap_err(), TextError::MixedEncoding { line: 2 });
        // a byte-order mark promises UTF-8
        assert_eq!(decode(b"\xEF\xBB\xBFa\nM\xfcller\n", 5).unwrap_err(), TextError::MixedEncoding { line: 2 });
    }

    #[test]
    fn workbooks_documents_images_and_nul_bytes_are_not_text() {
        let zip = |name: &str| [b"PK\x03\x04".as_slice(), &[0; 26], name.as_bytes(), b"\x00\x01"].concat();
        assert_eq!(decode(&zip("[Content_Types].xml....xl/workbook.xml"), 3), Err(TextError::NotText(NotText::Xlsx)));
        assert_eq!(decode(&zip("mimetypeapplication/vnd.oasis.opendocument.spreadsheet"), 3), Err(TextError::NotText(NotText::Ods)));
        assert_eq!(decode(&zip("Index/Document.iwa"), 3), Err(TextError::NotText(NotText::Numbers)));
        assert_eq!(decode(&zip("list.csv"), 3), Err(TextError::NotText(NotText::Zip)));
        assert_eq!(decode(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\x00\x00", 3), Err(TextError::NotText(NotText::Xls)));
        assert_eq!(decode(b"%PDF-1.7\n%\xe2\xe3", 3), Err(TextError::NotText(NotText::Pdf)));
        assert_eq!(decode(b"\x89PNG\r\n\x1a\n\0\0", 3), Err(TextError::NotText(NotText::Image)));
        assert_eq!(decode(b"Email,FirstName\nx\0y", 3), Err(TextError::Binary(17)));
        let mut late = vec![b'a'; HEAD_BYTES + 100];
        late[HEAD_BYTES + 50] = 0;
        assert_eq!(decode(&late, 1000), Err(TextError::Binary(HEAD_BYTES as u64 + 50)));
    }
}
