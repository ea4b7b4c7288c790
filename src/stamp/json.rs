//! Stamps in JSON: the document is managed as a whole and carries its stamp
//! under the reserved key `"//govbook"`. The hash covers the document
//! without that key, serialised canonically (sorted keys, two-space
//! indentation, final newline), so reformatting is not an edit but any
//! change of a value is.

use serde_json::{Map, Value};

use super::{Stamp, hash, parse_stamp};

/// The reserved key.
pub const KEY: &str = "//govbook";

/// The canonical text of a document (without the stamp key).
pub fn canonical(value: &Value) -> String {
    let mut v = value.clone();
    if let Value::Object(map) = &mut v {
        map.remove(KEY);
    }
    let sorted = sort(v);
    let mut text = serde_json::to_string_pretty(&sorted).unwrap_or_default();
    text.push('\n');
    text
}

fn sort(v: Value) -> Value {
    match v {
        Value::Object(map) => {
            let mut entries: Vec<(String, Value)> = map.into_iter().collect();
            entries.sort_by(|a, b| a.0.cmp(&b.0));
            Value::Object(
                entries
                    .into_iter()
                    .map(|(k, v)| (k, sort(v)))
                    .collect::<Map<_, _>>(),
            )
        }
        Value::Array(a) => Value::Array(a.into_iter().map(sort).collect()),
        other => other,
    }
}

/// Writes `value` (an object) with its stamp first.
pub fn stamped(value: &Value, stamp: &Stamp) -> String {
    let body = canonical(value);
    let Value::Object(map) = sort(value.clone()) else {
        return body;
    };
    let mut out = Map::new();
    out.insert(KEY.to_owned(), Value::String(stamp.to_string()));
    for (k, v) in map {
        if k != KEY {
            out.insert(k, v);
        }
    }
    let mut text = serde_json::to_string_pretty(&Value::Object(out)).unwrap_or_default();
    text.push('\n');
    text
}

/// The stamp and the hash of the managed content of a JSON text, if it
/// has a stamp. `Err` when the text is not JSON or the stamp is damaged.
pub fn read(text: &str) -> Result<Option<(Stamp, String)>, String> {
    let value: Value = serde_json::from_str(text).map_err(|e| format!("not valid JSON: {e}"))?;
    let Some(raw) = value.get(KEY) else {
        return Ok(None);
    };
    let raw = raw.as_str().ok_or(format!("\"{KEY}\" is not a string"))?;
    let rest = raw
        .strip_prefix("govbook:begin")
        .ok_or(format!("\"{KEY}\" does not start with govbook:begin"))?;
    let stamp = parse_stamp(rest)?;
    Ok(Some((stamp, hash(&canonical(&value)))))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Found by the `stamp` fuzz target: a float that the default parser
    /// reads one ulp off, so a stamped document re-read hashed differently
    /// (a file govbook wrote would show as edited).
    #[test]
    fn numbers_survive_a_write_and_a_read() {
        let text = "{\"team\": 6e81, \"x\": [0.1, 1e-7, 2.5e300, 123456789.123456789]}";
        let value: Value = serde_json::from_str(text).unwrap();
        let stamp = Stamp {
            id: "verification-commands-json".into(),
            team: None,
            version: "1.0.0".into(),
            baseline: "codex-cli@0.139.0".into(),
            sha256: hash(&canonical(&value)),
        };
        let written = stamped(&value, &stamp);
        let (read_stamp, actual) = read(&written).unwrap().unwrap();
        assert_eq!(read_stamp, stamp);
        assert_eq!(actual, stamp.sha256, "{written}");
    }
}
