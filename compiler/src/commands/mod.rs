//! `campc`'s commands, one module each, and the arguments they share.

pub(crate) mod args;
pub(crate) mod check;
pub(crate) mod diff;
pub(crate) mod explain;
pub(crate) mod fmt;
pub(crate) mod man;
pub(crate) mod report;
pub(crate) mod rules;
pub(crate) mod test;
