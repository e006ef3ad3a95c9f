//! Rendering diagnostics at the edge: for people (`human`) and for
//! programs (`json`). The diagnostics themselves are plain data.

pub mod github;
pub mod human;
pub mod json;
pub mod junit;
pub mod sarif;
