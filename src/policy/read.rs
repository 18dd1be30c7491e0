//! Reading a policy from JSON: the one place that decides what each key means.
//!
//! [`Policy::from_json`] and every `Deserialize` impl of the policy's sections read through
//! here: serde_json (or any serde format) reads the text into a [`Json`] value, and this module
//! walks it key by key, so an error names the exact key (`links.allow[1]`) without a second
//! pass. Duplicate keys are refused (a policy read differently by two readers is a policy
//! nobody chose); `null` means "unset" only where the field is optional (`links.base`,
//! `images.proxy`). The values' own rules are their types': [`UrlPrefix::parse`],
//! [`AbsoluteUrl::parse`], [`IdPrefix::parse`], and the enums' serde names.
//!
//! Written out rather than derived: the derived reader, wrapped in `serde_path_to_error` to
//! track the key, was about 55 KB of the npm package's lite wasm before `wasm-opt`; reading it
//! this way made the lite entry 19.7 KB gzip smaller (pkg-js/README.md).

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, IntoDeserializer, MapAccess, SeqAccess, Visitor};

use super::{
    AbsoluteUrl, IdPrefix, ImagePolicy, Limits, LinkPolicy, Policy, RawHtml, UntrustedDisplay,
    UrlPrefix,
};
use crate::error::Error;

/// A JSON value as a policy reads it: a number only as far as a limit needs it (a whole number
/// from 0 to `u64::MAX`, or not), an object's entries in order with duplicates kept, so that
/// the walk refuses them by their key.
pub(super) enum Json {
    Null,
    Bool(bool),
    /// A whole number that fits a `u64`.
    Count(u64),
    /// Any other number (negative, fractional, too large).
    OtherNumber,
    String(String),
    Array(Vec<Json>),
    Object(Vec<(String, Json)>),
}

impl<'de> Deserialize<'de> for Json {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Json, D::Error> {
        d.deserialize_any(JsonVisitor)
    }
}

struct JsonVisitor;

impl<'de> Visitor<'de> for JsonVisitor {
    type Value = Json;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Json, E> {
        Ok(Json::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Json, E> {
        Ok(Json::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Json, D::Error> {
        Json::deserialize(d)
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Json, E> {
        Ok(Json::Bool(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Json, E> {
        Ok(Json::Count(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Json, E> {
        Ok(u64::try_from(v).map_or(Json::OtherNumber, Json::Count))
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Json, E> {
        Ok(Json::OtherNumber)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Json, E> {
        Ok(Json::String(v.to_string()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Json, E> {
        Ok(Json::String(v))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Json, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Json::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Json, A::Error> {
        let mut entries = Vec::new();
        while let Some(entry) = map.next_entry()? {
            entries.push(entry);
        }
        Ok(Json::Object(entries))
    }
}

/// The keys of each object, in the order the policy serializes them.
const POLICY_KEYS: &[&str] = &["links", "images", "raw_html", "id_prefix", "limits", "math"];
const LINK_KEYS: &[&str] = &["allow", "base", "untrusted"];
const IMAGE_KEYS: &[&str] = &["allow", "proxy", "data"];
const LIMIT_KEYS: &[&str] = &["max_input_bytes", "max_nesting"];

/// `key` inside `parent` (`links` + `allow` → `links.allow`).
fn join(parent: &str, key: &str) -> String {
    if parent.is_empty() {
        key.to_string()
    } else {
        format!("{parent}.{key}")
    }
}

/// Calls `read` with each entry of the object `value` (at `key`) and the entry's own key, in
/// the order written: an unknown or repeated key, or a value that is not an object, is an
/// error naming it. (`dyn`: one copy of this for the four objects.)
fn entries(
    value: &Json,
    key: &str,
    known: &[&str],
    read: &mut dyn FnMut(&str, &Json, String) -> Result<(), Error>,
) -> Result<(), Error> {
    let Json::Object(entries) = value else {
        let message = if known == POLICY_KEYS {
            "a policy is a JSON object, such as {}"
        } else {
            "must be a JSON object"
        };
        return Err(Error::policy(key, message));
    };
    for (i, (name, value)) in entries.iter().enumerate() {
        let path = join(key, name);
        if !known.contains(&name.as_str()) {
            let expected = known.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>();
            let message = format!("unknown field; expected one of {}", expected.join(", "));
            return Err(Error::policy(path, message));
        }
        if entries[..i].iter().any(|(seen, _)| seen == name) {
            return Err(Error::policy(path, "appears twice; a key may appear once"));
        }
        read(name, value, path)?;
    }
    Ok(())
}

/// A string, or an error naming `key`.
fn string<'a>(value: &'a Json, key: &str) -> Result<&'a str, Error> {
    match value {
        Json::String(s) => Ok(s),
        _ => Err(Error::policy(key, "must be a string")),
    }
}

/// A string read by `parse` (a type's own rules), its error naming `key`.
fn parsed<T>(value: &Json, key: &str, parse: fn(&str) -> Result<T, String>) -> Result<T, Error> {
    parse(string(value, key)?).map_err(|message| Error::policy(key, message))
}

/// `null` or a URL (`links.base`, `images.proxy`).
fn optional_url(value: &Json, key: &str) -> Result<Option<AbsoluteUrl>, Error> {
    match value {
        Json::Null => Ok(None),
        _ => parsed(value, key, AbsoluteUrl::parse).map(Some),
    }
}

fn boolean(value: &Json, key: &str) -> Result<bool, Error> {
    match value {
        Json::Bool(b) => Ok(*b),
        _ => Err(Error::policy(key, "must be true or false")),
    }
}

/// A whole number of at least 0, capped at `usize::MAX`: the same policy JSON means the same
/// on 32-bit WebAssembly as natively (a limit no input there can reach).
fn count(value: &Json, key: &str) -> Result<usize, Error> {
    match value {
        Json::Count(n) => Ok(usize::try_from(*n).unwrap_or(usize::MAX)),
        _ => Err(Error::policy(key, "must be a whole number of at least 0")),
    }
}

/// An array of URL prefixes, each error naming its index (`links.allow[1]`).
fn prefixes(value: &Json, key: &str) -> Result<Vec<UrlPrefix>, Error> {
    let Json::Array(items) = value else {
        return Err(Error::policy(key, "must be an array of strings"));
    };
    items
        .iter()
        .enumerate()
        .map(|(i, item)| parsed(item, &format!("{key}[{i}]"), UrlPrefix::parse))
        .collect()
}

/// One of an enum's serde names (`"host"`, `"escape"`): the names are the enum's own.
fn choice<T: for<'de> Deserialize<'de>>(value: &Json, key: &str) -> Result<T, Error> {
    let name = string(value, key)?;
    let de: de::value::StrDeserializer<'_, de::value::Error> = name.into_deserializer();
    T::deserialize(de).map_err(|e| Error::policy(key, e.to_string()))
}

fn links(value: &Json, key: &str) -> Result<LinkPolicy, Error> {
    let mut links = LinkPolicy::default();
    entries(value, key, LINK_KEYS, &mut |name, value, key| {
        match name {
            "allow" => links.allow = prefixes(value, &key)?,
            "base" => links.base = optional_url(value, &key)?,
            _ => links.untrusted = choice::<UntrustedDisplay>(value, &key)?,
        }
        Ok(())
    })?;
    Ok(links)
}

fn images(value: &Json, key: &str) -> Result<ImagePolicy, Error> {
    let mut images = ImagePolicy::default();
    entries(value, key, IMAGE_KEYS, &mut |name, value, key| {
        match name {
            "allow" => images.allow = prefixes(value, &key)?,
            "proxy" => images.proxy = optional_url(value, &key)?,
            _ => images.data = boolean(value, &key)?,
        }
        Ok(())
    })?;
    Ok(images)
}

fn limits(value: &Json, key: &str) -> Result<Limits, Error> {
    let mut limits = Limits::default();
    entries(value, key, LIMIT_KEYS, &mut |name, value, key| {
        match name {
            "max_input_bytes" => limits.max_input_bytes = count(value, &key)?,
            _ => limits.max_nesting = count(value, &key)?,
        }
        Ok(())
    })?;
    Ok(limits)
}

/// The policy `value` holds, validated ([`Policy::validate`]).
pub(super) fn policy(value: &Json) -> Result<Policy, Error> {
    let mut policy = Policy::default();
    entries(value, "", POLICY_KEYS, &mut |name, value, key| {
        match name {
            "links" => policy.links = links(value, &key)?,
            "images" => policy.images = images(value, &key)?,
            "raw_html" => policy.raw_html = choice::<RawHtml>(value, &key)?,
            "id_prefix" => policy.id_prefix = parsed(value, &key, IdPrefix::parse)?,
            "limits" => policy.limits = limits(value, &key)?,
            _ => policy.math = boolean(value, &key)?,
        }
        Ok(())
    })?;
    policy.validate()?;
    Ok(policy)
}

/// Reads `T` from any serde format through [`Json`] and `read`: the one meaning of each key.
fn through_json<'de, D: Deserializer<'de>, T>(
    d: D,
    read: fn(&Json, &str) -> Result<T, Error>,
) -> Result<T, D::Error> {
    let json = Json::deserialize(d)?;
    read(&json, "").map_err(de::Error::custom)
}

impl<'de> Deserialize<'de> for Policy {
    /// The same as [`Policy::from_json`], from any serde format: validated, errors naming the key.
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Policy, D::Error> {
        through_json(d, |json, _| policy(json))
    }
}

impl<'de> Deserialize<'de> for LinkPolicy {
    /// The `links` section, read as [`Policy::from_json`] reads it (keys named from it).
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<LinkPolicy, D::Error> {
        through_json(d, links)
    }
}

impl<'de> Deserialize<'de> for ImagePolicy {
    /// The `images` section, read as [`Policy::from_json`] reads it (keys named from it).
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<ImagePolicy, D::Error> {
        through_json(d, images)
    }
}

impl<'de> Deserialize<'de> for Limits {
    /// The `limits` section, read as [`Policy::from_json`] reads it (keys named from it).
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Limits, D::Error> {
        through_json(d, limits)
    }
}
