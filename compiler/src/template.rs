//! `info` and `title` templates of layers: text with `{field}` placeholders
//! (optionally `{field-8}`, `{field:x}`, `{field:label}`), `{?field}`
//! conditions (`{?!field}`, `{?field==8}`), `[…]` optional groups and `[*…*]`
//! lists. Parsed here once; the Rust backend emits the parts as static data
//! the runtime renders.

/// One piece of a template.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Part {
    /// Literal text.
    Text(String),
    /// `{name}`: the value of a field (schema name or a runtime field path).
    Field(String),
    /// `{?name}`: prints nothing; its group is dropped unless the field is
    /// present and non-zero.
    Cond(String),
    /// `[a|b|…]`: the first alternative whose placeholders all have values
    /// and whose conditions hold; nothing when none does.
    Group(Vec<Vec<Part>>),
    /// `{name*M+N}` (`*M`, `+N`, `-N` each optional), `{name:fmt}`: a
    /// field's value times `factor` plus `offset` (integers only), shown as
    /// `fmt` says.
    Value {
        name: String,
        factor: i64,
        offset: i64,
        fmt: Fmt,
    },
    /// `{?!name}`: the field is absent or zero.
    NotCond(String),
    /// `{?name==N}` (also `!=`, `<`, `<=`, `>`, `>=`): the field is an integer
    /// that compares so with `N` (decimal or `0x` hex).
    Cmp(String, CmpOp, u64),
    /// `[*a|b|…*]`: every alternative that holds, joined by `, `.
    List(Vec<Vec<Part>>),
}

/// How a `{name:fmt}` value is shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fmt {
    /// As `-T fields` prints it (`{name-8}` with no format).
    Plain,
    /// `:label`: the enum label; the number when the value has none.
    Label,
    /// `:x`: lower-case hex, zero-padded to the field's width, no `0x`.
    Hex,
    /// `:d`: the number in decimal, even where an enum label would show.
    Dec,
    /// `:<N`: left-aligned, padded with spaces to N characters.
    Pad(u16),
}

/// A comparison in `{?name OP N}`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CmpOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl CmpOp {
    /// The operator as written (what the backend emits).
    pub fn token(self) -> &'static str {
        match self {
            CmpOp::Eq => "==",
            CmpOp::Ne => "!=",
            CmpOp::Lt => "<",
            CmpOp::Le => "<=",
            CmpOp::Gt => ">",
            CmpOp::Ge => ">=",
        }
    }
}

impl Fmt {
    /// The format as written, `""` for none (what the backend emits).
    pub fn token(self) -> String {
        match self {
            Fmt::Plain => String::new(),
            Fmt::Label => "label".into(),
            Fmt::Hex => "x".into(),
            Fmt::Dec => "d".into(),
            Fmt::Pad(n) => format!("<{n}"),
        }
    }
}

fn is_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.')
}

fn parse_num(s: &str) -> Option<u64> {
    let s = s.trim();
    match s.strip_prefix("0x") {
        Some(h) => u64::from_str_radix(h, 16).ok(),
        None => s.parse().ok(),
    }
}

/// The inside of `{…}`.
fn placeholder(inner: &str) -> Result<Part, String> {
    let bad = || format!("`{{{inner}}}` is not a field name");
    if let Some(c) = inner.strip_prefix('?') {
        let c = c.trim();
        if let Some(n) = c.strip_prefix('!') {
            let n = n.trim();
            return if is_name(n) {
                Ok(Part::NotCond(n.to_string()))
            } else {
                Err(bad())
            };
        }
        for (tok, op) in [
            ("==", CmpOp::Eq),
            ("!=", CmpOp::Ne),
            ("<=", CmpOp::Le),
            (">=", CmpOp::Ge),
            ("<", CmpOp::Lt),
            (">", CmpOp::Gt),
        ] {
            if let Some((n, v)) = c.split_once(tok) {
                let n = n.trim();
                if !is_name(n) {
                    return Err(bad());
                }
                let v = parse_num(v)
                    .ok_or_else(|| format!("`{{{inner}}}`: `{}` is not a number", v.trim()))?;
                return Ok(Part::Cmp(n.to_string(), op, v));
            }
        }
        return if is_name(c) {
            Ok(Part::Cond(c.to_string()))
        } else {
            Err(bad())
        };
    }
    let (head, fmt) = match inner.split_once(':') {
        Some((h, f)) => {
            let fmt = match f.trim() {
                "label" => Fmt::Label,
                "x" => Fmt::Hex,
                "d" => Fmt::Dec,
                other => match other.strip_prefix('<').and_then(|n| n.parse().ok()) {
                    Some(n) => Fmt::Pad(n),
                    None => {
                        return Err(format!(
                            "`{{{inner}}}`: unknown format `{other}` (label, x, d, <N)"
                        ))
                    }
                },
            };
            (h.trim(), Some(fmt))
        }
        None => (inner.trim(), None),
    };
    let num = |t: &str| {
        parse_num(t)
            .and_then(|n| i64::try_from(n).ok())
            .ok_or_else(|| format!("`{{{inner}}}`: `{}` is not a number", t.trim()))
    };
    let (head, offset) = match head.find(['-', '+']) {
        Some(at) => {
            let n = num(&head[at + 1..])?;
            (&head[..at], if &head[at..at + 1] == "-" { -n } else { n })
        }
        None => (head, 0),
    };
    let (name, factor) = match head.split_once('*') {
        Some((n, f)) => (n.trim(), num(f)?),
        None => (head.trim(), 1),
    };
    if !is_name(name) {
        return Err(bad());
    }
    Ok(match (factor, offset, fmt) {
        (1, 0, None) => Part::Field(name.to_string()),
        (factor, offset, fmt) => Part::Value {
            name: name.to_string(),
            factor,
            offset,
            fmt: fmt.unwrap_or(Fmt::Plain),
        },
    })
}

/// Parses a template. `{{`, `}}`, `[[`, `]]` and `||` stand for the characters.
pub fn parse(s: &str) -> Result<Vec<Part>, String> {
    let mut top: Vec<Part> = Vec::new();
    // The alternatives of the open group; the last is being filled.
    let mut group: Option<Vec<Vec<Part>>> = None;
    // The open group is a `[*…*]` list.
    let mut list = false;
    let mut text = String::new();
    let mut chars = s.chars().peekable();
    fn flush(text: &mut String, into: &mut Vec<Part>) {
        if !text.is_empty() {
            into.push(Part::Text(std::mem::take(text)));
        }
    }
    while let Some(c) = chars.next() {
        if c == '*' && list && chars.peek() == Some(&']') {
            chars.next();
            let mut g = group.take().unwrap_or_default();
            if let Some(last) = g.last_mut() {
                flush(&mut text, last);
            }
            top.push(Part::List(g));
            list = false;
            continue;
        }
        let doubled = matches!(c, '{' | '}' | '[' | ']' | '|') && chars.peek() == Some(&c);
        if doubled {
            chars.next();
            text.push(c);
            continue;
        }
        let in_group = group.is_some();
        let cur = match group.as_mut().and_then(|g| g.last_mut()) {
            Some(g) => g,
            None => &mut top,
        };
        match c {
            '{' => {
                flush(&mut text, cur);
                let mut name = String::new();
                let mut closed = false;
                for n in chars.by_ref() {
                    if n == '}' {
                        closed = true;
                        break;
                    }
                    name.push(n);
                }
                if !closed {
                    return Err("`{` without a closing `}`".into());
                }
                cur.push(placeholder(&name)?);
            }
            '}' => return Err("`}` without an opening `{` (write `}}` for the character)".into()),
            '[' => {
                if in_group {
                    return Err("optional groups `[…]` do not nest".into());
                }
                flush(&mut text, cur);
                group = Some(vec![Vec::new()]);
                if chars.peek() == Some(&'*') {
                    chars.next();
                    list = true;
                }
            }
            '|' if in_group => {
                flush(&mut text, cur);
                if let Some(g) = group.as_mut() {
                    g.push(Vec::new());
                }
            }
            ']' if list => {
                return Err("a list `[*…` ends with `*]`".into());
            }
            ']' => {
                let Some(mut g) = group.take() else {
                    return Err("`]` without an opening `[` (write `]]` for the character)".into());
                };
                if let Some(last) = g.last_mut() {
                    flush(&mut text, last);
                }
                top.push(Part::Group(g));
            }
            c => text.push(c),
        }
    }
    if group.is_some() {
        return Err("`[` without a closing `]`".into());
    }
    flush(&mut text, &mut top);
    Ok(top)
}

/// Every field name a template refers to.
pub fn names(parts: &[Part]) -> Vec<&str> {
    let mut out = Vec::new();
    for p in parts {
        match p {
            Part::Field(n)
            | Part::Cond(n)
            | Part::NotCond(n)
            | Part::Cmp(n, _, _)
            | Part::Value { name: n, .. } => out.push(n.as_str()),
            Part::Group(g) | Part::List(g) => g.iter().for_each(|a| out.extend(names(a))),
            Part::Text(_) => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_fields_groups_and_escapes() {
        let p = parse("Seq: {tcp.seq}[{?tcp.flags.ack}, Ack: {tcp.ack}|!] [[x]] {{ ||").unwrap();
        assert_eq!(
            p,
            vec![
                Part::Text("Seq: ".into()),
                Part::Field("tcp.seq".into()),
                Part::Group(vec![
                    vec![
                        Part::Cond("tcp.flags.ack".into()),
                        Part::Text(", Ack: ".into()),
                        Part::Field("tcp.ack".into()),
                    ],
                    vec![Part::Text("!".into())],
                ]),
                Part::Text(" [x] { |".into()),
            ]
        );
        assert_eq!(names(&p), vec!["tcp.seq", "tcp.flags.ack", "tcp.ack"]);
    }

    #[test]
    fn parses_formats_comparisons_and_lists() {
        let p = parse("{len-8} {id:x}{t:label}{?!a}{?t==0x8}{?t != 3}[*{?f}F|{?s}S*]]]").unwrap();
        assert_eq!(
            p,
            vec![
                Part::Value {
                    name: "len".into(),
                    factor: 1,
                    offset: -8,
                    fmt: Fmt::Plain
                },
                Part::Text(" ".into()),
                Part::Value {
                    name: "id".into(),
                    factor: 1,
                    offset: 0,
                    fmt: Fmt::Hex
                },
                Part::Value {
                    name: "t".into(),
                    factor: 1,
                    offset: 0,
                    fmt: Fmt::Label
                },
                Part::NotCond("a".into()),
                Part::Cmp("t".into(), CmpOp::Eq, 8),
                Part::Cmp("t".into(), CmpOp::Ne, 3),
                Part::List(vec![
                    vec![Part::Cond("f".into()), Part::Text("F".into())],
                    vec![Part::Cond("s".into()), Part::Text("S".into())],
                ]),
                Part::Text("]".into()),
            ]
        );
        assert_eq!(
            parse("{o*8}").unwrap(),
            vec![Part::Value {
                name: "o".into(),
                factor: 8,
                offset: 0,
                fmt: Fmt::Plain
            }]
        );
        assert!(parse("{a:y}").is_err());
        assert!(parse("{a*}").is_err());
        assert!(parse("{?a==b}").is_err());
        assert!(parse("{a-b}").is_err());
        assert!(parse("[*a]").is_err());
        assert!(parse("[*a").is_err());
    }

    #[test]
    fn rejects_bad_templates() {
        assert!(parse("{x").is_err());
        assert!(parse("x}").is_err());
        assert!(parse("[a").is_err());
        assert!(parse("a]").is_err());
        assert!(parse("[a [b] c]").is_err());
        assert!(parse("{}").is_err());
        assert!(parse("{a b}").is_err());
        assert!(parse("").unwrap().is_empty());
    }
}
