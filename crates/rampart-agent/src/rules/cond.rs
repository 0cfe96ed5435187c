//! Conditions: parsing (`proc.name in (shells) and not container.image startswith "x"`) into a
//! tree whose macros and lists are already expanded, and evaluation against an event.
//!
//! Grammar: `expr := and ("or" and)*`, `and := unary ("and" unary)*`,
//! `unary := "not" unary | "(" expr ")" | FIELD OP OPERAND | FIELD "exists" | FIELD | MACRO`.
//! Operators: `= == != < <= > >= in startswith endswith contains icontains glob pmatch`. An
//! operand is a literal, a list name, or a parenthesized, comma-separated mix of both. A
//! comparison on a list-valued field holds when it holds for any element.

use std::collections::HashMap;

#[cfg(test)]
use super::eval::glob;
use super::fields::Field;
#[cfg(test)]
use crate::event::Event;

/// A parse error at a byte offset of the condition text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CondError {
    pub offset: usize,
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    In,
    StartsWith,
    EndsWith,
    Contains,
    IContains,
    Glob,
    Pmatch,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    And(Vec<Expr>),
    Or(Vec<Expr>),
    Not(Box<Expr>),
    Cmp {
        field: Field,
        op: Op,
        values: Vec<String>,
    },
    Exists(Field),
    Truthy(Field),
}

/// Names a condition may refer to besides fields.
pub struct Scope<'a> {
    pub lists: &'a HashMap<String, Vec<String>>,
    pub macros: &'a HashMap<String, Expr>,
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Word(String),
    Str(String),
    LParen,
    RParen,
    Comma,
    Op(String),
}

fn lex(text: &str) -> Result<Vec<(usize, Tok)>, CondError> {
    let mut out = Vec::new();
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut i = 0;
    while i < chars.len() {
        let (at, c) = chars[i];
        match c {
            c if c.is_whitespace() => i += 1,
            '(' => {
                out.push((at, Tok::LParen));
                i += 1;
            }
            ')' => {
                out.push((at, Tok::RParen));
                i += 1;
            }
            ',' => {
                out.push((at, Tok::Comma));
                i += 1;
            }
            '"' | '\'' => {
                let mut s = String::new();
                let mut j = i + 1;
                loop {
                    let Some(&(_, d)) = chars.get(j) else {
                        return Err(CondError {
                            offset: at,
                            message: "unterminated string".into(),
                        });
                    };
                    j += 1;
                    if d == c {
                        break;
                    }
                    if d == '\\' {
                        if let Some(&(_, e)) = chars.get(j) {
                            s.push(e);
                            j += 1;
                            continue;
                        }
                    }
                    s.push(d);
                }
                out.push((at, Tok::Str(s)));
                i = j;
            }
            '=' | '!' | '<' | '>' => {
                let next = chars.get(i + 1).map(|p| p.1);
                let op = match (c, next) {
                    ('=', Some('=')) | ('!', Some('=')) | ('<', Some('=')) | ('>', Some('=')) => {
                        i += 2;
                        format!("{c}=")
                    }
                    ('!', _) => {
                        return Err(CondError {
                            offset: at,
                            message: "expected `!=`".into(),
                        })
                    }
                    _ => {
                        i += 1;
                        c.to_string()
                    }
                };
                out.push((at, Tok::Op(op)));
            }
            _ => {
                let mut j = i;
                while let Some(&(_, d)) = chars.get(j) {
                    if d.is_whitespace() || "(),=!<>\"'".contains(d) {
                        break;
                    }
                    j += 1;
                }
                let end = chars.get(j).map_or(text.len(), |p| p.0);
                out.push((at, Tok::Word(text[at..end].to_string())));
                i = j;
            }
        }
    }
    Ok(out)
}

fn word_op(w: &str) -> Option<Op> {
    Some(match w {
        "in" => Op::In,
        "startswith" => Op::StartsWith,
        "endswith" => Op::EndsWith,
        "contains" => Op::Contains,
        "icontains" => Op::IContains,
        "glob" => Op::Glob,
        "pmatch" => Op::Pmatch,
        _ => return None,
    })
}

fn sym_op(s: &str) -> Option<Op> {
    Some(match s {
        "=" | "==" => Op::Eq,
        "!=" => Op::Ne,
        "<" => Op::Lt,
        "<=" => Op::Le,
        ">" => Op::Gt,
        ">=" => Op::Ge,
        _ => return None,
    })
}

struct Parser<'a> {
    toks: Vec<(usize, Tok)>,
    pos: usize,
    end: usize,
    scope: &'a Scope<'a>,
}

/// Parses a condition, expanding macros and lists from `scope`.
pub fn parse(text: &str, scope: &Scope<'_>) -> Result<Expr, CondError> {
    let mut p = Parser {
        toks: lex(text)?,
        pos: 0,
        end: text.len(),
        scope,
    };
    if p.toks.is_empty() {
        return Err(CondError {
            offset: 0,
            message: "empty condition".into(),
        });
    }
    let e = p.or()?;
    if let Some((at, t)) = p.toks.get(p.pos) {
        return Err(CondError {
            offset: *at,
            message: format!("unexpected {}", describe(t)),
        });
    }
    Ok(e)
}

fn describe(t: &Tok) -> String {
    match t {
        Tok::Word(w) => format!("`{w}`"),
        Tok::Str(s) => format!("string \"{s}\""),
        Tok::LParen => "`(`".into(),
        Tok::RParen => "`)`".into(),
        Tok::Comma => "`,`".into(),
        Tok::Op(o) => format!("`{o}`"),
    }
}

impl Parser<'_> {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos).map(|t| &t.1)
    }
    fn offset(&self) -> usize {
        self.toks.get(self.pos).map_or(self.end, |t| t.0)
    }
    fn err<T>(&self, message: impl Into<String>) -> Result<T, CondError> {
        Err(CondError {
            offset: self.offset(),
            message: message.into(),
        })
    }
    fn keyword(&mut self, k: &str) -> bool {
        if matches!(self.peek(), Some(Tok::Word(w)) if w == k) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn or(&mut self) -> Result<Expr, CondError> {
        let mut parts = vec![self.and()?];
        while self.keyword("or") {
            parts.push(self.and()?);
        }
        Ok(if parts.len() == 1 {
            parts.remove(0)
        } else {
            Expr::Or(parts)
        })
    }

    fn and(&mut self) -> Result<Expr, CondError> {
        let mut parts = vec![self.unary()?];
        while self.keyword("and") {
            parts.push(self.unary()?);
        }
        Ok(if parts.len() == 1 {
            parts.remove(0)
        } else {
            Expr::And(parts)
        })
    }

    fn unary(&mut self) -> Result<Expr, CondError> {
        if self.keyword("not") {
            return Ok(Expr::Not(Box::new(self.unary()?)));
        }
        match self.peek().cloned() {
            Some(Tok::LParen) => {
                self.pos += 1;
                let e = self.or()?;
                if self.peek() != Some(&Tok::RParen) {
                    return self.err("expected `)`");
                }
                self.pos += 1;
                Ok(e)
            }
            Some(Tok::Word(w)) => self.term(&w),
            Some(t) => self.err(format!("expected a field or macro, found {}", describe(&t))),
            None => self.err("unexpected end of condition"),
        }
    }

    fn term(&mut self, word: &str) -> Result<Expr, CondError> {
        if let Some(m) = self.scope.macros.get(word) {
            self.pos += 1;
            return Ok(m.clone());
        }
        let Some(field) = Field::parse(word) else {
            return self.err(format!("unknown field or macro `{word}`"));
        };
        self.pos += 1;
        let op = match self.peek() {
            Some(Tok::Op(s)) => sym_op(s),
            Some(Tok::Word(w)) if w == "exists" => {
                self.pos += 1;
                return Ok(Expr::Exists(field));
            }
            Some(Tok::Word(w)) => word_op(w),
            _ => None,
        };
        let Some(op) = op else {
            return Ok(Expr::Truthy(field));
        };
        self.pos += 1;
        let values = self.operand()?;
        if matches!(op, Op::Lt | Op::Le | Op::Gt | Op::Ge) {
            if let Some(bad) = values.iter().find(|v| parse_int(v).is_none()) {
                return Err(CondError {
                    offset: self.toks.get(self.pos - 1).map_or(self.end, |t| t.0),
                    message: format!("`{bad}` is not a number"),
                });
            }
        }
        Ok(Expr::Cmp { field, op, values })
    }

    fn operand(&mut self) -> Result<Vec<String>, CondError> {
        match self.peek().cloned() {
            Some(Tok::LParen) => {
                self.pos += 1;
                let mut out = Vec::new();
                loop {
                    match self.peek().cloned() {
                        Some(Tok::RParen) => {
                            self.pos += 1;
                            return Ok(out);
                        }
                        Some(Tok::Comma) => self.pos += 1,
                        Some(Tok::Word(w)) => {
                            self.pos += 1;
                            out.extend(self.expand(&w));
                        }
                        Some(Tok::Str(s)) => {
                            self.pos += 1;
                            out.push(s);
                        }
                        Some(t) => {
                            return self.err(format!("unexpected {} in a list", describe(&t)))
                        }
                        None => return self.err("unclosed `(`"),
                    }
                }
            }
            Some(Tok::Word(w)) => {
                self.pos += 1;
                Ok(self.expand(&w))
            }
            Some(Tok::Str(s)) => {
                self.pos += 1;
                Ok(vec![s])
            }
            Some(t) => self.err(format!("expected a value, found {}", describe(&t))),
            None => self.err("expected a value, found the end of the condition"),
        }
    }

    fn expand(&self, word: &str) -> Vec<String> {
        self.scope
            .lists
            .get(word)
            .cloned()
            .unwrap_or_else(|| vec![word.to_string()])
    }
}

pub fn parse_int(s: &str) -> Option<i64> {
    match s.strip_prefix("0x") {
        Some(hex) => i64::from_str_radix(hex, 16).ok(),
        None => s.parse().ok(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::Kind;

    fn compile(text: &str) -> Result<Expr, CondError> {
        let lists = HashMap::from([(
            "shells".to_string(),
            vec!["sh".to_string(), "bash".to_string()],
        )]);
        let macros = HashMap::new();
        parse(
            text,
            &Scope {
                lists: &lists,
                macros: &macros,
            },
        )
    }

    #[test]
    fn parses_and_evaluates() {
        let ev = Event {
            kind: Kind::Exec,
            path: "/bin/bash".into(),
            comm: "bash".into(),
            ..Event::default()
        };
        let e = compile("evt.type = exec and proc.name in (shells, zsh) and not container")
            .unwrap_or(Expr::Or(vec![]));
        assert!(e.eval(&ev));
        let e = compile("proc.name in (zsh) or proc.exe exists").unwrap_or(Expr::And(vec![]));
        assert!(!e.eval(&ev));
    }

    #[test]
    fn reports_errors_with_offsets() {
        let e = compile("proc.name = sh and proc.nmae = x")
            .err()
            .unwrap_or(CondError {
                offset: 0,
                message: String::new(),
            });
        assert_eq!(e.offset, 19);
        assert!(e.message.contains("proc.nmae"));
        assert!(compile("(proc.name = sh").is_err());
        assert!(compile("net.dport > abc").is_err());
        assert!(compile("").is_err());
    }

    #[test]
    fn globs() {
        assert!(glob("*/release_agent", "/sys/fs/cgroup/x/release_agent"));
        assert!(glob("/proc/?/mem", "/proc/1/mem"));
        assert!(!glob("/etc/*.conf", "/etc/x.cfg"));
    }
}
