//! JSON output: one object per frame with its metadata, layers and fields.
//! Fields keep their Wireshark paths; a path repeated within a layer becomes an
//! array; integers and booleans are JSON numbers and booleans.

use super::Sink;
use crate::field::{FieldDesc, FieldKind, Value};
use serde_json::{json, Map, Value as Json};

/// The layer being collected: protocol, title, offset, length, fields.
type Current = (String, String, u32, u32, Map<String, Json>);

/// Builds the JSON object of one frame.
#[derive(Default)]
pub struct JsonBuilder {
    frame: Map<String, Json>,
    layers: Vec<Json>,
    current: Option<Current>,
    in_frame: bool,
}

fn to_json(desc: &FieldDesc, v: &Value<'_>) -> Json {
    match *v {
        Value::UInt(x) => json!(x),
        Value::Int(x) => json!(x),
        Value::Bool(b) => json!(b),
        Value::None => match desc.kind {
            FieldKind::Marker => json!(true),
            _ => Json::Null,
        },
        _ => {
            let mut s = String::new();
            v.tshark(desc, &mut s);
            Json::String(s)
        }
    }
}

impl JsonBuilder {
    /// Starts a new frame.
    pub fn reset(&mut self) {
        self.frame = Map::new();
        self.layers.clear();
        self.current = None;
        self.in_frame = false;
    }

    /// The finished frame object; `error` is the dissection error, if any.
    pub fn finish(&mut self, error: Option<String>) -> Json {
        self.flush();
        let mut o = Map::new();
        o.insert(
            "frame".into(),
            Json::Object(std::mem::take(&mut self.frame)),
        );
        o.insert(
            "layers".into(),
            Json::Array(std::mem::take(&mut self.layers)),
        );
        if let Some(e) = error {
            o.insert("error".into(), Json::String(e));
        }
        Json::Object(o)
    }

    fn flush(&mut self) {
        if let Some((proto, title, off, len, fields)) = self.current.take() {
            self.layers.push(json!({
                "protocol": proto,
                "title": title,
                "offset": off,
                "length": len,
                "fields": fields,
            }));
        }
    }
}

/// Adds a value; a repeated key becomes an array (field values are never arrays).
fn insert(map: &mut Map<String, Json>, k: &str, v: Json) {
    match map.get_mut(k) {
        None => {
            map.insert(k.to_string(), v);
        }
        Some(Json::Array(a)) => a.push(v),
        Some(old) => {
            let prev = old.take();
            *old = Json::Array(vec![prev, v]);
        }
    }
}

impl Sink for JsonBuilder {
    fn begin_layer(&mut self, desc: &'static FieldDesc, title: &str, offset: u32, len: u32) {
        self.flush();
        if desc.path == "frame" {
            self.in_frame = true;
            return;
        }
        self.in_frame = false;
        self.current = Some((
            desc.path.to_string(),
            title.to_string(),
            offset,
            len,
            Map::new(),
        ));
    }

    fn field(&mut self, desc: &'static FieldDesc, value: &Value<'_>, _offset: u32, _len: u32) {
        if desc.kind == FieldKind::Struct {
            return;
        }
        let v = to_json(desc, value);
        if self.in_frame {
            let key = desc.path.strip_prefix("frame.").unwrap_or(desc.path);
            self.frame.insert(key.to_string(), v);
        } else if let Some((_, _, _, _, m)) = &mut self.current {
            insert(m, desc.path, v);
        }
    }

    fn end_layer(&mut self) {
        self.flush();
        self.in_frame = false;
    }
}
