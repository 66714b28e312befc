//! fairguide: a static site generator for the guide on fair and equitable
//! collaboration between BME and mainstream voluntary organisations.
//!
//! The pipeline runs one way, one module per stage:
//! `config` + `content` (load) -> `link` -> `markdown` + `render` (with `theme`) -> `search` (index) -> `write`.
//! `build` strings the stages together; `serve`, `check`, `scaffold` (`init`,
//! `new`) and `schema` are the editors' tools built on it. `incremental` keeps a build up to date
//! after edits, re-rendering exactly the outputs whose recorded inputs
//! changed; `serve` uses it.

#![warn(unreachable_pub)]

pub mod build;
pub mod check;
pub mod config;
pub mod content;
pub mod diagnostics;
pub mod editor_files;
pub mod git_dates;
pub mod html;
pub mod images;
pub mod incremental;
pub mod kind;
pub mod link;
pub mod lint;
pub mod markdown;
pub mod offline;
pub mod output;
pub mod render;
pub mod scaffold;
pub mod schema;
pub mod search;
pub mod serve;
pub mod theme;
pub mod write;

pub use build::{build, BuildOptions, BuildReport};
