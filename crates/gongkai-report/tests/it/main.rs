//! Integration tests of the report parser and auditor (one test binary).

mod auditor;
mod corpus;
mod fixture;
mod formats;
mod pipe;
mod render;
mod robustness;
mod support;
mod titles;
mod variants;
mod verdicts;
