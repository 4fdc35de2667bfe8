//! Tokenizer for expression strings: turns source text into spanned tokens, enforcing the
//! literal-length limit and rejecting characters outside the language with a hint where a
//! likely intended spelling exists.

use super::{ExprError, Span, MAX_LITERAL_DIGITS};
use crate::field::Q;
use num_bigint::BigInt;

#[derive(Clone, Debug, PartialEq)]
pub(super) enum Tok {
    Int(Q),
    Name,
    If,
    Else,
    True,
    False,
    In,
    LParen,
    RParen,
    LBracket,
    RBracket,
    LBrace,
    RBrace,
    Comma,
    DotDot,
    Colon,
    Plus,
    Minus,
    Star,
    Slash,
    Percent,
    Caret,
    EqEq,
    NotEq,
    Lt,
    Le,
    Gt,
    Ge,
    AndAnd,
    OrOr,
    Bang,
    End,
}

#[derive(Clone, Debug)]
pub(super) struct Token {
    pub tok: Tok,
    pub span: Span,
}

impl Token {
    /// How the token reads in a message: `'}'`, `the name 'q'`, `end of expression`.
    pub fn describe(&self, src: &str) -> String {
        let text = src.get(self.span.start..self.span.end).unwrap_or("");
        match self.tok {
            Tok::End => "end of expression".to_string(),
            Tok::Int(_) => format!("the number {text}"),
            Tok::Name => format!("the name '{text}'"),
            Tok::If | Tok::Else | Tok::True | Tok::False | Tok::In => {
                format!("the keyword '{text}'")
            }
            _ => format!("'{text}'"),
        }
    }
}

/// Splits `src` into tokens; the last token is always `Tok::End` with an empty span at the end.
pub(super) fn lex(src: &str) -> Result<Vec<Token>, ExprError> {
    let bytes = src.as_bytes();
    let len = bytes.len();
    let mut toks = Vec::new();
    let mut i = 0;
    while i < len {
        let c = bytes[i];
        if c.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        let start = i;
        let tok = if c.is_ascii_digit() {
            while i < len && bytes[i].is_ascii_digit() {
                i += 1;
            }
            if i - start > MAX_LITERAL_DIGITS {
                return Err(ExprError::new(
                    Span { start, end: i },
                    format!("number literal too long (more than {MAX_LITERAL_DIGITS} digits)"),
                ));
            }
            if i + 1 < len && bytes[i] == b'.' && bytes[i + 1].is_ascii_digit() {
                let mut end = i + 1;
                while end < len && bytes[end].is_ascii_digit() {
                    end += 1;
                }
                return Err(ExprError::new(
                    Span { start, end },
                    "decimal numbers are not supported; write a fraction such as 3/2".into(),
                ));
            }
            let n = BigInt::parse_bytes(&bytes[start..i], 10)
                .ok_or_else(|| ExprError::new(Span { start, end: i }, "invalid number literal".into()))?;
            Tok::Int(Q::from_integer(n))
        } else if c.is_ascii_alphabetic() || c == b'_' {
            while i < len && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                i += 1;
            }
            match &src[start..i] {
                "if" => Tok::If,
                "else" => Tok::Else,
                "true" => Tok::True,
                "false" => Tok::False,
                "in" => Tok::In,
                _ => Tok::Name,
            }
        } else {
            let next = bytes.get(i + 1).copied();
            let (tok, width) = match (c, next) {
                (b'=', Some(b'=')) => (Tok::EqEq, 2),
                (b'!', Some(b'=')) => (Tok::NotEq, 2),
                (b'<', Some(b'=')) => (Tok::Le, 2),
                (b'>', Some(b'=')) => (Tok::Ge, 2),
                (b'&', Some(b'&')) => (Tok::AndAnd, 2),
                (b'|', Some(b'|')) => (Tok::OrOr, 2),
                (b'.', Some(b'.')) => (Tok::DotDot, 2),
                (b'(', _) => (Tok::LParen, 1),
                (b')', _) => (Tok::RParen, 1),
                (b'[', _) => (Tok::LBracket, 1),
                (b']', _) => (Tok::RBracket, 1),
                (b'{', _) => (Tok::LBrace, 1),
                (b'}', _) => (Tok::RBrace, 1),
                (b',', _) => (Tok::Comma, 1),
                (b':', _) => (Tok::Colon, 1),
                (b'+', _) => (Tok::Plus, 1),
                (b'-', _) => (Tok::Minus, 1),
                (b'*', _) => (Tok::Star, 1),
                (b'/', _) => (Tok::Slash, 1),
                (b'%', _) => (Tok::Percent, 1),
                (b'^', _) => (Tok::Caret, 1),
                (b'<', _) => (Tok::Lt, 1),
                (b'>', _) => (Tok::Gt, 1),
                (b'!', _) => (Tok::Bang, 1),
                _ => return Err(bad_char(src, i)),
            };
            i += width;
            tok
        };
        toks.push(Token {
            tok,
            span: Span { start, end: i },
        });
    }
    toks.push(Token {
        tok: Tok::End,
        span: Span { start: len, end: len },
    });
    Ok(toks)
}

/// The error for a character that starts no token, at byte `i` (a character boundary).
fn bad_char(src: &str, i: usize) -> ExprError {
    let ch = src.get(i..).and_then(|s| s.chars().next()).unwrap_or('\u{fffd}');
    let span = Span {
        start: i,
        end: i + ch.len_utf8(),
    };
    let hint = match ch {
        '=' => Some("'=='"),
        '&' => Some("'&&'"),
        '|' => Some("'||'"),
        '≤' => Some("'<='"),
        '≥' => Some("'>='"),
        '≠' => Some("'!='"),
        '×' | '·' | '⋅' => Some("'*'"),
        '−' | '–' => Some("'-'"),
        '÷' => Some("'/'"),
        '.' | '…' => Some("'..'"),
        '∈' => Some("'in'"),
        _ => None,
    };
    let message = match hint {
        Some(h) => format!("unexpected character {ch:?}; did you mean {h}?"),
        None => format!("unexpected character {ch:?}"),
    };
    ExprError::new(span, message)
}
