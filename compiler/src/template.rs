//! `info` and `title` templates of layers: text with `{field}` placeholders,
//! `{?field}` conditions and `[…]` optional groups. Parsed here once; the
//! Rust backend emits the parts as static data the runtime renders.

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
}

/// Parses a template. `{{`, `}}`, `[[`, `]]` and `||` stand for the characters.
pub fn parse(s: &str) -> Result<Vec<Part>, String> {
    let mut top: Vec<Part> = Vec::new();
    // The alternatives of the open group; the last is being filled.
    let mut group: Option<Vec<Vec<Part>>> = None;
    let mut text = String::new();
    let mut chars = s.chars().peekable();
    fn flush(text: &mut String, into: &mut Vec<Part>) {
        if !text.is_empty() {
            into.push(Part::Text(std::mem::take(text)));
        }
    }
    while let Some(c) = chars.next() {
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
                let (cond, name) = match name.strip_prefix('?') {
                    Some(n) => (true, n.trim().to_string()),
                    None => (false, name.trim().to_string()),
                };
                let valid = !name.is_empty()
                    && name
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.');
                if !valid {
                    return Err(format!("`{{{name}}}` is not a field name"));
                }
                cur.push(if cond {
                    Part::Cond(name)
                } else {
                    Part::Field(name)
                });
            }
            '}' => return Err("`}` without an opening `{` (write `}}` for the character)".into()),
            '[' => {
                if in_group {
                    return Err("optional groups `[…]` do not nest".into());
                }
                flush(&mut text, cur);
                group = Some(vec![Vec::new()]);
            }
            '|' if in_group => {
                flush(&mut text, cur);
                if let Some(g) = group.as_mut() {
                    g.push(Vec::new());
                }
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
            Part::Field(n) | Part::Cond(n) => out.push(n.as_str()),
            Part::Group(g) => g.iter().for_each(|a| out.extend(names(a))),
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
