//! The case-file model (DESIGN.md §3).
