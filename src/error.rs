//! Fatal errors: the input or the policy cannot be used at all.
//!
//! Non-fatal observations (a removed script, a blocked image) are not errors: they are
//! [`Finding`](crate::Finding)s in the report, and rendering goes on.

use std::fmt;

/// Why safemark refused to render. No partial output is ever returned with an error.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// The policy did not parse or names something invalid. `key` is the path of the
    /// offending key (`links.allow[2]`), or empty when the document itself is malformed.
    Policy {
        /// Path of the key at fault, such as `images.proxy`.
        key: String,
        /// What is wrong with it.
        message: String,
    },
    /// The input is longer than `limits.max_input_bytes`.
    InputTooLarge {
        /// Length of the input in bytes.
        len: usize,
        /// The limit in force.
        max: usize,
    },
}

impl Error {
    pub(crate) fn policy(key: impl Into<String>, message: impl Into<String>) -> Self {
        Error::Policy {
            key: key.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Policy { key, message } if key.is_empty() => {
                write!(f, "invalid policy: {message}")
            }
            Error::Policy { key, message } => write!(f, "invalid policy: `{key}`: {message}"),
            Error::InputTooLarge { len, max } => write!(
                f,
                "input is {len} bytes, over the limit of {max} bytes (limits.max_input_bytes)"
            ),
        }
    }
}

impl std::error::Error for Error {}
