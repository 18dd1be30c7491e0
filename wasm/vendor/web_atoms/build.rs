// Copyright 2014-2017 The html5ever Project Developers. See the
// COPYRIGHT file at the top-level directory of this distribution.
//
// Licensed under the Apache License, Version 2.0 <LICENSE-APACHE or
// http://www.apache.org/licenses/LICENSE-2.0> or the MIT license
// <LICENSE-MIT or http://opensource.org/licenses/MIT>, at your
// option. This file may not be copied, modified, or distributed
// except according to those terms.

extern crate phf_codegen;
extern crate string_cache_codegen;

use std::collections::BTreeMap;
use std::env;
use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::Path;

mod entities;

static NAMESPACES: &[(&str, &str)] = &[
    ("", ""),
    ("*", "*"),
    ("html", "http://www.w3.org/1999/xhtml"),
    ("xml", "http://www.w3.org/XML/1998/namespace"),
    ("xmlns", "http://www.w3.org/2000/xmlns/"),
    ("xlink", "http://www.w3.org/1999/xlink"),
    ("svg", "http://www.w3.org/2000/svg"),
    ("mathml", "http://www.w3.org/1998/Math/MathML"),
];

fn main() {
    let generated = Path::new(&env::var("OUT_DIR").unwrap()).join("generated.rs");
    let mut generated = BufWriter::new(File::create(generated).unwrap());

    named_entities_to_phf(&Path::new(&env::var("OUT_DIR").unwrap()).join("named_entities.rs"));

    // Create a string cache for local names
    let local_names = Path::new(&env::var("CARGO_MANIFEST_DIR").unwrap()).join("local_names.txt");
    let mut local_names_atom = string_cache_codegen::AtomType::new("LocalName", "local_name!");
    for line in BufReader::new(File::open(local_names).unwrap()).lines() {
        let local_name = line.unwrap();
        local_names_atom.atom(&local_name);
        local_names_atom.atom(&local_name.to_ascii_lowercase());
    }
    local_names_atom
        .with_macro_doc("Takes a local name as a string and returns its key in the string cache.")
        .write_to(&mut generated)
        .unwrap();

    // Create a string cache for namespace prefixes
    string_cache_codegen::AtomType::new("Prefix", "namespace_prefix!")
        .with_macro_doc("Takes a namespace prefix string and returns its key in a string cache.")
        .atoms(NAMESPACES.iter().map(|&(prefix, _url)| prefix))
        .write_to(&mut generated)
        .unwrap();

    // Create a string cache for namespace urls
    string_cache_codegen::AtomType::new("Namespace", "namespace_url!")
        .with_macro_doc("Takes a namespace url string and returns its key in a string cache.")
        .atoms(NAMESPACES.iter().map(|&(_prefix, url)| url))
        .write_to(&mut generated)
        .unwrap();

    writeln!(
        generated,
        r#"
        /// Maps the input of [`namespace_prefix!`](macro.namespace_prefix.html) to
        /// the output of [`namespace_url!`](macro.namespace_url.html).
        ///
        #[macro_export] macro_rules! ns {{
        "#
    )
    .unwrap();
    for &(prefix, url) in NAMESPACES {
        writeln!(
            generated,
            "({prefix}) => {{ $crate::namespace_url!({url:?}) }};"
        )
        .unwrap();
    }
    writeln!(generated, "}}").unwrap();
}

/// Writes the named character references as arrays (upstream writes one `phf::Map` of every
/// name and every prefix of each, 9,854 keys: 225 KB of a wasm module, 92 KB gzip): the
/// 2,231 names sorted, in one string, each followed by a space; where every `BLOCK`th begins;
/// and their code points, three bytes each (the first code point, and which of the few second
/// ones), all first bytes, then all second, then all third. `NamedEntities::get` (lib.rs)
/// answers what the map answered, for every key and every other string. The map itself is
/// still written, for the tests only, which hold the two to the same answers.
fn named_entities_to_phf(to: &Path) {
    let entities: BTreeMap<&str, (u32, u32)> = entities::NAMED_ENTITIES
        .iter()
        .map(|(name, cp1, cp2)| {
            assert!(name.starts_with('&'));
            (&name[1..], (*cp1, *cp2))
        })
        .collect();

    const BLOCK: usize = 16;
    let mut names = String::new();
    let mut blocks = Vec::new();
    let mut values = Vec::new();
    for (i, (name, value)) in entities.iter().enumerate() {
        assert!(name.is_ascii() && !name.is_empty());
        if i % BLOCK == 0 {
            blocks.push(u16::try_from(names.len()).unwrap());
        }
        names.push_str(name);
        names.push(' ');
        values.push(*value);
    }

    // Upstream's map, for the tests: every missing prefix of those keys, mapping to NULL
    // characters.
    let mut map = entities.clone();
    for key in entities.keys().cloned().collect::<Vec<_>>() {
        for n in 1..key.len() {
            map.entry(&key[..n]).or_insert((0, 0));
        }
    }
    map.insert("", (0, 0));
    let mut phf_map = phf_codegen::Map::new();
    for (key, value) in map {
        phf_map.entry(key, format!("{value:?}"));
    }

    let mut file = BufWriter::new(File::create(to).unwrap());
    writeln!(file, "const COUNT: usize = {};", values.len()).unwrap();
    writeln!(file, "static NAMES: &str = {names:?};").unwrap();
    writeln!(file, "const BLOCK: usize = {BLOCK};").unwrap();
    writeln!(file, "static BLOCKS: [u16; {}] = {blocks:?};", blocks.len()).unwrap();
    let mut seconds: Vec<u32> = values.iter().map(|v| v.1).collect();
    seconds.sort();
    seconds.dedup();
    let packed: Vec<u32> = values
        .iter()
        .map(|&(first, second)| {
            assert!(first < 1 << 18 && seconds.len() <= 1 << 6);
            first | (seconds.binary_search(&second).unwrap() as u32) << 18
        })
        .collect();
    let planes: Vec<u8> = (0..3)
        .flat_map(|plane| packed.iter().map(move |v| (v >> (8 * plane)) as u8))
        .collect();
    writeln!(file, "static CODE_POINTS: [u8; 3 * COUNT] = {planes:?};").unwrap();
    writeln!(
        file,
        "static SECONDS: [u32; {}] = {seconds:?};",
        seconds.len()
    )
    .unwrap();
    writeln!(
        file,
        "#[cfg(test)]\nstatic UPSTREAM_NAMED_ENTITIES: phf::Map<&'static str, (u32, u32)> = {};",
        phf_map.build(),
    )
    .unwrap();
}
