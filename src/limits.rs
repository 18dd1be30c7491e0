//! Limits that keep work and output linear: the input size bound. (Markdown nesting is
//! bounded where containers are written, in the markdown stage.)

use crate::error::Error;
use crate::policy::Policy;

/// Refuses input over `limits.max_input_bytes`.
pub(crate) fn check_input(input: &str, policy: &Policy) -> Result<(), Error> {
    let max = policy.limits.max_input_bytes;
    if input.len() > max {
        return Err(Error::InputTooLarge {
            len: input.len(),
            max,
        });
    }
    Ok(())
}
