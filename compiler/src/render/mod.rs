//! Rendering diagnostics at the edge: for people (`human`) and for
//! programs (`json`). The diagnostics themselves are plain data.

pub mod human;
pub mod json;
