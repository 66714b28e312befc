//! fairguide: a static site generator for the guide on fair and equitable
//! collaboration between BME and mainstream voluntary organisations.
//!
//! The pipeline runs one way, one module per stage:
//! `config` + `content` (load) -> `link` -> `markdown` + `render` (with `theme`) -> `search` (index) -> `write`.
//! `build` strings the stages together; `serve`, `check`, `scaffold` (`init`,
//! `new`) and `schema` are the editors' tools built on it. `incremental` keeps a build up to date
//! after edits, re-rendering exactly the outputs whose recorded inputs
//! changed; `serve` uses it.
//!
//! Public: what `main.rs`, the tests and the examples call (`build`, `check`,
//! `serve`, `scaffold`, `schema`, `incremental`, `search`'s index, `config`
//! and `content`'s key tables, `kind`, `images`, `diagnostics`). The stages
//! that only the library strings together (`link`, `markdown`, `render`,
//! `lint`, `theme`, `write`, `offline`, ...) are private, and
//! `unreachable_pub` keeps their items `pub(crate)`.

#![warn(unreachable_pub)]

pub mod build;
pub mod check;
pub mod collections;
pub mod config;
pub mod content;
pub mod diagnostics;
mod editor_files;
mod git_dates;
mod html;
mod i18n;
pub mod images;
pub mod incremental;
pub mod kind;
mod language;
mod link;
mod lint;
mod markdown;
mod offline;
mod output;
mod render;
pub mod scaffold;
pub mod schema;
pub mod search;
pub mod serve;
mod theme;
mod write;

pub use build::{build, BuildOptions, BuildReport};
