//! Evaluation of compiled conditions against events. A comparison on a list-valued field holds
//! when it holds for any element; on an absent field it never holds (so `!=` is false too).

use super::cond::{parse_int, Expr, Op};
use super::fields::{self, Field, Val};
use crate::event::{Event, Kind};

const ALL_KINDS: u32 = u32::MAX;

/// The event kinds a condition can match, as a bit set over `Kind as u32`: lets the rule set
/// skip rules that test `evt.type` for another kind without evaluating them.
pub(super) fn kinds(e: &Expr) -> u32 {
    match e {
        Expr::Cmp {
            field: Field::EvtType,
            op: Op::Eq | Op::In,
            values,
        } => values
            .iter()
            .filter_map(|v| Kind::parse(v))
            .fold(0, |acc, k| acc | 1 << (k as u32)),
        Expr::And(parts) => parts.iter().fold(ALL_KINDS, |acc, p| acc & kinds(p)),
        Expr::Or(parts) => parts.iter().fold(0, |acc, p| acc | kinds(p)),
        _ => ALL_KINDS,
    }
}

/// `*` matches any run of characters, `?` one character.
pub fn glob(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    let (mut pi, mut ti, mut star, mut mark) = (0, 0, None, 0);
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ti;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|c| *c == '*')
}

fn str_holds(op: Op, v: &str, lit: &str) -> bool {
    match op {
        Op::Eq | Op::In => v == lit,
        Op::Ne => v != lit,
        Op::StartsWith => v.starts_with(lit),
        Op::EndsWith => v.ends_with(lit),
        Op::Contains => v.contains(lit),
        Op::IContains => v.to_lowercase().contains(&lit.to_lowercase()),
        Op::Glob => glob(lit, v),
        Op::Pmatch => {
            let dir = lit.trim_end_matches('/');
            v == dir || v.strip_prefix(dir).is_some_and(|r| r.starts_with('/'))
        }
        Op::Lt | Op::Le | Op::Gt | Op::Ge => match (parse_int(v), parse_int(lit)) {
            (Some(a), Some(b)) => int_holds(op, a, b),
            _ => false,
        },
    }
}

fn int_holds(op: Op, v: i64, lit: i64) -> bool {
    match op {
        Op::Eq | Op::In => v == lit,
        Op::Ne => v != lit,
        Op::Lt => v < lit,
        Op::Le => v <= lit,
        Op::Gt => v > lit,
        Op::Ge => v >= lit,
        _ => str_holds(op, &v.to_string(), &lit.to_string()),
    }
}

fn holds(op: Op, v: &Val<'_>, lit: &str) -> bool {
    match v {
        Val::Str(s) => str_holds(op, s, lit),
        Val::Int(i) => match parse_int(lit) {
            Some(l) => int_holds(op, *i, l),
            None => str_holds(op, &i.to_string(), lit),
        },
        Val::Bool(b) => str_holds(op, if *b { "true" } else { "false" }, lit),
        Val::List(items) => items.iter().any(|s| str_holds(op, s, lit)),
        Val::Absent => false,
    }
}

impl Expr {
    pub fn eval(&self, ev: &Event) -> bool {
        match self {
            Expr::And(parts) => parts.iter().all(|p| p.eval(ev)),
            Expr::Or(parts) => parts.iter().any(|p| p.eval(ev)),
            Expr::Not(e) => !e.eval(ev),
            Expr::Exists(f) => match fields::get(ev, *f) {
                Val::Absent => false,
                Val::Str(s) => !s.is_empty(),
                Val::List(l) => !l.is_empty(),
                _ => true,
            },
            Expr::Truthy(f) => match fields::get(ev, *f) {
                Val::Bool(b) => b,
                Val::Str(s) => !s.is_empty(),
                Val::Int(i) => i != 0,
                Val::List(l) => !l.is_empty(),
                Val::Absent => false,
            },
            Expr::Cmp { field, op, values } => {
                let v = fields::get(ev, *field);
                if matches!(v, Val::Absent) {
                    return false;
                }
                if *op == Op::Ne {
                    return values.iter().all(|l| !holds(Op::Eq, &v, l));
                }
                values.iter().any(|l| holds(*op, &v, l))
            }
        }
    }
}
