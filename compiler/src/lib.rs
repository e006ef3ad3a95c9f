//! `campc`: the command line around the Camp compiler core.
//!
//! The core (`camp-core`) turns file contents into diagnostics, a checked
//! model and IR, and does no IO; `camp-fs` finds packages, reads them and
//! writes IR folders. This crate adds what only a program needs: the
//! arguments (`main.rs`), the renderers of diagnostics for each edge
//! ([`render`]: terminal, concise, JSON, SARIF, JUnit, GitHub annotations),
//! progress and the allocator.

pub mod render;
