//! Building and reading html5ever's tree: the few node helpers the walk and the link judge
//! share, and the bound on text nodes.

use std::cell::RefCell;
use std::rc::Rc;

use html5ever::{ns, Attribute, QualName};
use markup5ever_rcdom::{Handle, Node, NodeData};

use crate::limits;

/// Merges adjacent text nodes (as a parser would on reading the serialized tree back) and
/// splits long ones with `<wbr>`, so that no text node is longer than
/// [`limits::MAX_NODE_BYTES`].
///
/// Also drops the newlines that open a `<pre>`: the parser drops a newline right after
/// `<pre>`, and html5ever's serializer does not write the extra one that would preserve it, so
/// they would be lost one per round trip and the output would not be a fixpoint.
pub(super) fn bounded_text(parent: &Handle, children: Vec<Handle>) -> Vec<Handle> {
    let mut opens_pre =
        matches!(&parent.data, NodeData::Element { name, .. } if &*name.local == "pre");
    let text_len = |node: &Handle| match &node.data {
        NodeData::Text { contents } => Some(contents.borrow().len()),
        _ => None,
    };
    // Most children need nothing: keep them as they are, without rebuilding any node.
    let adjacent_texts = children
        .windows(2)
        .any(|w| text_len(&w[0]).is_some() && text_len(&w[1]).is_some());
    let long_text = children
        .iter()
        .any(|c| text_len(c).is_some_and(|n| n > limits::MAX_NODE_BYTES));
    if !opens_pre && !adjacent_texts && !long_text {
        return children;
    }
    let mut out: Vec<Handle> = Vec::with_capacity(children.len());
    let mut pending = String::new();
    let flush = |pending: &mut String, out: &mut Vec<Handle>| {
        if pending.is_empty() {
            return;
        }
        let text = std::mem::take(pending);
        for (i, chunk) in limits::node_chunks(&text, 0, true).enumerate() {
            if i > 0 {
                let wbr = element("wbr", vec![]);
                adopt(parent, &wbr);
                out.push(wbr);
            }
            let node = text_node(chunk);
            adopt(parent, &node);
            out.push(node);
        }
    };
    for child in children {
        if let NodeData::Text { contents } = &child.data {
            let contents = contents.borrow();
            let text: &str = &contents;
            pending.push_str(if opens_pre {
                text.trim_start_matches('\n')
            } else {
                text
            });
            opens_pre = opens_pre && pending.is_empty();
        } else {
            opens_pre = false;
            flush(&mut pending, &mut out);
            out.push(child);
        }
    }
    flush(&mut pending, &mut out);
    out
}

pub(super) fn attr_value<'a>(attrs: &'a [Attribute], name: &str) -> Option<&'a str> {
    attrs
        .iter()
        .find(|a| &*a.name.local == name)
        .map(|a| a.value.as_ref())
}

/// Sets an attribute, in place when it exists, else at the end.
pub(super) fn set_attr(attrs: &mut Vec<Attribute>, name: &str, value: &str) {
    match attrs.iter_mut().find(|a| &*a.name.local == name) {
        Some(a) => a.value = value.into(),
        None => attrs.push(Attribute {
            name: QualName::new(None, ns!(), name.into()),
            value: value.into(),
        }),
    }
}

pub(super) fn element(name: &str, attrs: Vec<(&str, String)>) -> Handle {
    Node::new(NodeData::Element {
        name: QualName::new(None, ns!(html), name.into()),
        attrs: RefCell::new(
            attrs
                .into_iter()
                .map(|(n, v)| Attribute {
                    name: QualName::new(None, ns!(), n.into()),
                    value: v.into(),
                })
                .collect(),
        ),
        template_contents: RefCell::new(None),
        mathml_annotation_xml_integration_point: false,
    })
}

pub(super) fn text_node(s: &str) -> Handle {
    Node::new(NodeData::Text {
        contents: RefCell::new(s.into()),
    })
}

pub(super) fn adopt(parent: &Handle, child: &Handle) {
    child.parent.set(Some(Rc::downgrade(parent)));
}
