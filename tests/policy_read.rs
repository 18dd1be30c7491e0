//! How a policy is read, searched over every key and every kind of JSON value: each value is
//! either read as itself (the policy's own JSON gives it back) or refused with an error naming
//! exactly its key; a repeated or unknown key is refused by its key; and the policy's serde
//! `Deserialize` impls read as `Policy::from_json` does. In both builds (with and without the
//! `html` feature).

use safemark::{AbsoluteUrl, Error, IdPrefix, ImagePolicy, Limits, LinkPolicy, Policy, UrlPrefix};
use serde_json::{json, Value};

/// What a leaf holds, and so which values it takes.
#[derive(Clone, Copy, Debug)]
enum Kind {
    Prefixes,
    OptionalUrl,
    Untrusted,
    RawHtml,
    IdPrefix,
    Bool,
    Count,
}

/// Every leaf key of the policy, by path.
const LEAVES: &[(&str, Kind)] = &[
    ("links.allow", Kind::Prefixes),
    ("links.base", Kind::OptionalUrl),
    ("links.untrusted", Kind::Untrusted),
    ("images.allow", Kind::Prefixes),
    ("images.proxy", Kind::OptionalUrl),
    ("images.data", Kind::Bool),
    ("raw_html", Kind::RawHtml),
    ("id_prefix", Kind::IdPrefix),
    ("limits.max_input_bytes", Kind::Count),
    ("limits.max_nesting", Kind::Count),
    ("math", Kind::Bool),
];

/// The objects: the root and its sections.
const OBJECTS: &[&str] = &["", "links", "images", "limits"];

/// A value of every kind JSON has, and the strings and numbers the leaves tell apart.
fn values() -> Vec<Value> {
    let mut values = vec![
        json!(null),
        json!(true),
        json!(false),
        json!(0),
        json!(1),
        json!(7),
        json!(-1),
        json!(1.5),
        json!(1e3),
        json!(u64::MAX),
        serde_json::from_str("18446744073709551616").unwrap(),
        json!([]),
        json!({}),
        json!({"a": 1}),
        json!([1]),
        json!([null]),
        json!(["*", 2]),
    ];
    let strings = [
        "",
        "x",
        "*",
        "mailto:",
        "javascript:",
        "https://docs.example.com/",
        "https://docs.example.com/?q",
        "HTTPS://Docs.Example.COM/a/../b",
        "/relative",
        "host",
        "url",
        "text",
        "confirm",
        "Host",
        "sanitize",
        "escape",
        "msg-1-",
        "a b",
    ];
    for s in strings {
        values.push(json!(s));
        values.push(json!([s]));
        values.push(json!(["https://docs.example.com/", s]));
    }
    values
}

/// Whether the leaf at `path`, of `kind`, takes `value`: by the JSON kind, the type's own
/// `parse` for strings, and what `Policy::validate` adds (no scheme among image sources, no
/// query for the proxy, limits of at least 1).
fn takes(kind: Kind, path: &str, value: &Value) -> bool {
    let prefix = |v: &Value| {
        v.as_str().is_some_and(|s| {
            UrlPrefix::parse(s).is_ok()
                // A scheme is a link prefix only (Policy::validate).
                && !(path == "images.allow" && s.ends_with(':'))
        })
    };
    match kind {
        Kind::Prefixes => value.as_array().is_some_and(|a| a.iter().all(prefix)),
        Kind::OptionalUrl => {
            value.is_null()
                || value.as_str().is_some_and(|s| {
                    AbsoluteUrl::parse(s).is_ok() && (path != "images.proxy" || !s.contains('?'))
                })
        }
        Kind::Untrusted => {
            matches!(value.as_str(), Some("host" | "url" | "text" | "confirm"))
        }
        Kind::RawHtml => {
            value.as_str() == Some("escape")
                || (value.as_str() == Some("sanitize") && cfg!(feature = "html"))
        }
        Kind::IdPrefix => value.as_str().is_some_and(|s| IdPrefix::parse(s).is_ok()),
        Kind::Bool => value.is_boolean(),
        // At least 1 (Policy::validate); `u64`, whole.
        Kind::Count => value.as_u64().is_some_and(|n| n >= 1),
    }
}

/// `{}` with `value` at `path` (`links.allow` → `{"links": {"allow": value}}`).
fn document(path: &str, value: Value) -> Value {
    path.rsplit('.')
        .fold(value, |inner, key| json!({ key: inner }))
}

/// The value at `path` in `doc`.
fn at<'a>(doc: &'a Value, path: &str) -> &'a Value {
    path.split('.').fold(doc, |v, key| &v[key])
}

/// `from_json`'s outcome, checked against serde's `Deserialize` on the same text: the same
/// policy, or an error carrying the same message.
fn read(text: &str) -> Result<Policy, Error> {
    let from_json = Policy::from_json(text);
    let serde = serde_json::from_str::<Policy>(text);
    match (&from_json, &serde) {
        (Ok(a), Ok(b)) => assert_eq!(a, b, "{text}"),
        (Err(a), Err(b)) => assert!(b.to_string().contains(&a.to_string()), "{text}: {b}"),
        _ => panic!("{text}: from_json {from_json:?}, Deserialize {serde:?}"),
    }
    from_json
}

fn refused_by(text: &str, key: &str) {
    match read(text) {
        Err(Error::Policy { key: k, .. }) => assert_eq!(k, key, "{text}"),
        other => panic!("{text}: should be refused by `{key}`, got {other:?}"),
    }
}

#[test]
fn every_key_reads_every_kind_of_value() {
    let values = values();
    let mut counts = (0, 0);
    for &(path, kind) in LEAVES {
        for value in &values {
            let text = document(path, value.clone()).to_string();
            if takes(kind, path, value) {
                let policy = read(&text).unwrap_or_else(|e| panic!("{text}: {e}"));
                // Read as itself: the policy's own JSON holds the value (URLs normalized).
                let written: Value = serde_json::from_str(&policy.to_json()).unwrap();
                let expected = match (kind, value.as_str()) {
                    (Kind::OptionalUrl, Some(s)) => json!(AbsoluteUrl::parse(s).unwrap().as_str()),
                    _ => value.clone(),
                };
                assert_eq!(at(&written, path), &expected, "{text}");
                counts.0 += 1;
            } else {
                // The error names the key, or the element of an array that is refused.
                let key = match value.as_array() {
                    Some(items) if matches!(kind, Kind::Prefixes) => {
                        let i = items.iter().position(|v| !takes(kind, path, &json!([v])));
                        format!("{path}[{}]", i.expect("an element is refused"))
                    }
                    _ => path.to_string(),
                };
                refused_by(&text, &key);
                counts.1 += 1;
            }
        }
    }
    // Both outcomes are searched for every leaf.
    assert!(counts.0 >= 40 && counts.1 >= 400, "{counts:?}");
    println!(
        "{} values read as themselves, {} refused by their key",
        counts.0, counts.1
    );
}

#[test]
fn sections_and_the_policy_are_objects() {
    for &object in OBJECTS {
        for value in values() {
            if value.is_object() {
                continue;
            }
            let text = if object.is_empty() {
                value.to_string()
            } else {
                document(object, value).to_string()
            };
            refused_by(&text, object);
        }
    }
}

#[test]
fn unknown_and_repeated_keys_are_refused_by_their_key() {
    for &object in OBJECTS {
        let unknown = if object.is_empty() {
            "mathematics".to_string()
        } else {
            format!("{object}.alow")
        };
        refused_by(&document(&unknown, json!([])).to_string(), &unknown);
    }
    // A key written twice, with the same value or another: refused, never the first or the last.
    for &(path, kind) in LEAVES {
        let good = values()
            .into_iter()
            .filter(|v| takes(kind, path, v))
            .collect::<Vec<_>>();
        for first in &good {
            for second in &good {
                let (parent, key) = path.rsplit_once('.').unwrap_or(("", path));
                let pair = format!("{{{}: {first}, {}: {second}}}", json!(key), json!(key));
                let text = parent
                    .rsplit('.')
                    .filter(|k| !k.is_empty())
                    .fold(pair, |inner, k| format!("{{{}: {inner}}}", json!(k)));
                refused_by(&text, path);
            }
        }
    }
    // A section written twice.
    refused_by(r#"{"links": {}, "math": true, "links": {}}"#, "links");
}

#[test]
fn sections_deserialize_as_the_policy_reads_them() {
    let doc = json!({
        "links": {"allow": ["https://docs.example.com/", "mailto:"], "base": "https://app.example/", "untrusted": "confirm"},
        "images": {"allow": ["*"], "proxy": null, "data": true},
        "limits": {"max_input_bytes": 1000, "max_nesting": 3},
    });
    let policy = read(&doc.to_string()).unwrap();
    let links: LinkPolicy = serde_json::from_value(doc["links"].clone()).unwrap();
    let images: ImagePolicy = serde_json::from_value(doc["images"].clone()).unwrap();
    let limits: Limits = serde_json::from_value(doc["limits"].clone()).unwrap();
    assert_eq!(
        (links, images, limits),
        (policy.links, policy.images, policy.limits)
    );
    // A section's errors name its keys from the section.
    let e = serde_json::from_value::<Limits>(json!([])).unwrap_err();
    assert!(e.to_string().contains("must be a JSON object"), "{e}");
    let e = serde_json::from_value::<LinkPolicy>(json!({"allow": ["x"]})).unwrap_err();
    assert!(e.to_string().contains("`allow[0]`"), "{e}");
    // Numbers past usize saturate (no limit), as the policy reads them.
    let limits: Limits = serde_json::from_value(json!({"max_input_bytes": u64::MAX})).unwrap();
    assert_eq!(limits.max_input_bytes as u64, usize::MAX as u64);
}
