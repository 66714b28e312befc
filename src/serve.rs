//! `fairguide serve`: build into memory, serve on loopback, watch the site's
//! files, rebuild what a change needs and reload the open browser page.

use crate::diagnostics::Diagnostics;
use crate::incremental::{Incremental, Update};
use crate::markdown::escape_html;
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{header, HeaderValue, StatusCode, Uri};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use notify::event::ModifyKind;
use notify::{EventKind, RecursiveMode};
use notify_debouncer_full::{new_debouncer_opt, DebounceEventResult, NoCache};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::RecvTimeoutError;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};
use tokio::sync::broadcast;
use tokio_stream::wrappers::BroadcastStream;
use tokio_stream::StreamExt;

/// Where live-reload events are served, below the site's base path.
const EVENTS_PATH: &str = "__fairguide/events";

/// How long saves must pause before the search index is rebuilt.
const SEARCH_SETTLE: Duration = Duration::from_millis(500);

/// How long to wait for a burst of events from one save to settle.
const DEBOUNCE: Duration = Duration::from_millis(25);

#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub root: PathBuf,
    pub interface: String,
    /// 0 picks a free port.
    pub port: u16,
}

/// The last good site, plus the errors of the latest build (if it failed).
#[derive(Default)]
struct Served {
    files: HashMap<String, Bytes>,
    errors: Option<Diagnostics>,
}

struct Shared {
    served: RwLock<Served>,
    /// Counts rebuilds, so a search index of an older build is never served.
    generation: AtomicU64,
    reload: broadcast::Sender<Reload>,
    base_path: String,
}

/// A reload event's data: the output paths that changed (a JSON array), or
/// [`EVERY_PAGE`]. Each open page reloads only if its own path is listed.
type Reload = Arc<str>;
const EVERY_PAGE: &str = "*";

/// The last good build, kept between rebuilds so one edit re-renders little.
struct Session {
    site: Incremental,
}

pub fn serve(opts: ServeOptions) -> Result<(), Diagnostics> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| one_error(format!("cannot start the server runtime: {e}")))?;
    runtime.block_on(run(opts))
}

fn one_error(message: String) -> Diagnostics {
    Diagnostics(vec![crate::diagnostics::Diagnostic::error(message)])
}

async fn run(opts: ServeOptions) -> Result<(), Diagnostics> {
    let config = crate::config::Config::load(&opts.root)?;
    let base_path = config.base_path();
    let listener = tokio::net::TcpListener::bind((opts.interface.as_str(), opts.port))
        .await
        .map_err(|e| {
            let mut d = one_error(format!(
                "cannot listen on {}:{}: {e}",
                opts.interface, opts.port
            ));
            d.0[0].hint =
                Some("choose another port with --port, or --port 0 for any free port".into());
            d
        })?;
    let addr = listener
        .local_addr()
        .map_err(|e| one_error(e.to_string()))?;
    let host = if addr.is_ipv6() {
        format!("[{}]", addr.ip())
    } else {
        addr.ip().to_string()
    };
    let base_url = format!("http://{host}:{}{base_path}", addr.port());

    let (reload, _) = broadcast::channel(16);
    let shared = Arc::new(Shared {
        served: RwLock::new(Served::default()),
        generation: AtomicU64::new(0),
        reload,
        base_path: base_path.clone(),
    });
    let mut session = Session {
        site: Incremental::new(&opts.root, Some(&base_url)),
    };
    let started = Instant::now();
    let summary = session.rebuild(&shared, &[]);
    eprintln!(
        "{summary} in {:.0} ms",
        started.elapsed().as_secs_f64() * 1000.0
    );
    let (debouncer, rx) = start_watching(&opts.root)?;
    let watch_shared = shared.clone();
    std::thread::spawn(move || watch(session, watch_shared, debouncer, rx));
    println!("Serving {base_url} (press Ctrl+C to stop)");

    let app = axum::Router::new().fallback(handle).with_state(shared);
    axum::serve(listener, app)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
        .map_err(|e| one_error(format!("server stopped: {e}")))
}

/// Folders and files whose changes matter, relative to the root.
const WATCHED: &[&str] = &[
    "content",
    "templates",
    "themes",
    "static",
    crate::config::CONFIG_FILE,
];

// No file-id cache: it would rescan a folder on every rename, and a rename is how
// many editors save. Every change rebuilds by path, so pairing renames is not needed.
type Debouncer = notify_debouncer_full::Debouncer<notify::RecommendedWatcher, NoCache>;

/// Starts watching before the server says it is ready, so no early save is missed.
fn start_watching(
    root: &Path,
) -> Result<(Debouncer, std::sync::mpsc::Receiver<DebounceEventResult>), Diagnostics> {
    let (tx, rx) = std::sync::mpsc::channel::<DebounceEventResult>();
    let mut debouncer = new_debouncer_opt(DEBOUNCE, None, tx, NoCache, notify::Config::default())
        .map_err(|e| one_error(format!("cannot watch files: {e}")))?;
    // The root itself (not recursively) so that a new templates/ or static/ folder is seen.
    debouncer
        .watch(root, RecursiveMode::NonRecursive)
        .map_err(|e| one_error(format!("cannot watch {}: {e}", root.display())))?;
    let mut watched = HashSet::new();
    add_watches(&mut debouncer, &mut watched, root);
    Ok((debouncer, rx))
}

fn add_watches(debouncer: &mut Debouncer, watched: &mut HashSet<PathBuf>, root: &Path) {
    for name in WATCHED {
        let p = root.join(name);
        if p.is_dir()
            && !watched.contains(&p)
            && debouncer.watch(&p, RecursiveMode::Recursive).is_ok()
        {
            watched.insert(p);
        }
    }
}

fn watch(
    mut session: Session,
    shared: Arc<Shared>,
    mut debouncer: Debouncer,
    rx: std::sync::mpsc::Receiver<DebounceEventResult>,
) {
    let site_root = session.site.root().to_path_buf();
    let mut watched: HashSet<PathBuf> = WATCHED
        .iter()
        .map(|n| site_root.join(n))
        .filter(|p| p.is_dir())
        .collect();
    let root = site_root
        .canonicalize()
        .unwrap_or_else(|_| site_root.clone());
    // The search index is rebuilt once saves have settled, one build at a time,
    // off the reload's path (and off the server's async runtime: Pagefind runs its own).
    let indexing = Arc::new(AtomicBool::new(false));
    let mut search_stale = true;
    loop {
        let result = match rx.recv_timeout(SEARCH_SETTLE) {
            Ok(result) => result,
            Err(RecvTimeoutError::Timeout) => {
                if search_stale && !indexing.load(Ordering::SeqCst) {
                    session.index_search(&shared, &indexing);
                    search_stale = false;
                }
                continue;
            }
            Err(RecvTimeoutError::Disconnected) => break,
        };
        let Ok(events) = result else { continue };
        let mut changed: Vec<PathBuf> = Vec::new();
        for event in events {
            // Reads (our own build reads every file) must not trigger a rebuild.
            if !matches!(
                event.kind,
                EventKind::Create(_) | EventKind::Modify(_) | EventKind::Remove(_) | EventKind::Any
            ) {
                continue;
            }
            if let EventKind::Modify(ModifyKind::Metadata(_)) = event.kind {
                continue;
            }
            for path in &event.paths {
                let rel = path
                    .strip_prefix(&root)
                    .or_else(|_| path.strip_prefix(&site_root))
                    .unwrap_or(path);
                if relevant(rel) && !changed.iter().any(|c| c == rel) {
                    changed.push(rel.to_path_buf());
                }
            }
        }
        if changed.is_empty() {
            continue;
        }
        add_watches(&mut debouncer, &mut watched, &site_root);
        let started = Instant::now();
        let summary = session.rebuild(&shared, &changed);
        let names: Vec<String> = changed.iter().map(|p| p.display().to_string()).collect();
        eprintln!(
            "{summary} in {:.1} ms ({})",
            started.elapsed().as_secs_f64() * 1000.0,
            names.join(", ")
        );
        search_stale = true;
    }
}

/// True for the site's own files; false for editors' swap, backup and temp files.
fn relevant(rel: &Path) -> bool {
    let Some(first) = rel.components().next() else {
        return false;
    };
    let first = first.as_os_str().to_string_lossy();
    if !WATCHED.contains(&first.as_ref()) {
        return false;
    }
    let name = rel
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    !(name.starts_with('.')
        || name.starts_with('#')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name.ends_with(".bak")
        || name == "4913")
}

impl Session {
    /// Rebuilds after `changed` (root-relative paths; empty means everything)
    /// and tells open pages to reload. Returns a one-line summary.
    fn rebuild(&mut self, shared: &Shared, changed: &[PathBuf]) -> String {
        shared.generation.fetch_add(1, Ordering::SeqCst);
        let started = Instant::now();
        // The edited page first, so that its reload is not held up by the
        // pages that list it (thousands of entries on a large site).
        let mut first: Option<(usize, f64)> = None;
        let result = if changed.is_empty() {
            self.site.rebuild_all()
        } else {
            self.site.apply_staged(changed, |update| {
                publish(shared, update);
                first = Some((update.rendered, started.elapsed().as_secs_f64() * 1000.0));
            })
        };
        match result {
            Ok(update) => {
                publish(shared, &update);
                let files = |n: usize| format!("{n} file{}", if n == 1 { "" } else { "s" });
                match first {
                    _ if update.full => format!(
                        "Built {} pages",
                        self.site.site().map_or(0, |s| s.pages.len())
                    ),
                    Some((n, ms)) => format!(
                        "Re-rendered {} (reload sent after {ms:.1} ms); then: {}",
                        files(n),
                        files(update.rendered)
                    ),
                    None => format!("Re-rendered {}", files(update.rendered)),
                }
            }
            Err(diags) => fail(shared, diags),
        }
    }

    /// Rebuilds the search index over the pages being served, on its own
    /// thread; an index made stale by a rebuild meanwhile is dropped.
    fn index_search(&self, shared: &Arc<Shared>, indexing: &Arc<AtomicBool>) {
        let Some(site) = self.site.site() else { return };
        let inputs = {
            let served = shared.served.read().unwrap_or_else(|e| e.into_inner());
            if served.errors.is_some() {
                return;
            }
            // Shared buffers, not copies: the watcher must be free again at once.
            crate::search::inputs(site, |path| {
                served
                    .files
                    .get(path)
                    .map(|b| Box::new(b.clone()) as crate::search::Html<'static>)
            })
        };
        let language = site.config.language.clone();
        let generation = shared.generation.load(Ordering::SeqCst);
        let (shared, indexing) = (shared.clone(), indexing.clone());
        indexing.store(true, Ordering::SeqCst);
        std::thread::spawn(move || {
            match crate::search::index_inputs(inputs, &language, Some(index_threads())) {
                Ok(index) => {
                    let mut served = shared.served.write().unwrap_or_else(|e| e.into_inner());
                    if shared.generation.load(Ordering::SeqCst) == generation {
                        for f in index.files {
                            served.files.insert(f.path, Bytes::from(f.bytes));
                        }
                    }
                }
                Err(d) => eprint!("{}", d.render(crate::diagnostics::use_colour())),
            }
            indexing.store(false, Ordering::SeqCst);
        });
    }
}

/// Serves an update's files and reloads the open pages whose files changed.
fn publish(shared: &Shared, update: &Update) {
    let mut served = shared.served.write().unwrap_or_else(|e| e.into_inner());
    let reload: Reload = if update.full || served.errors.is_some() {
        EVERY_PAGE.into()
    } else {
        let mut changed: Vec<&str> = update
            .changed
            .iter()
            .map(|(path, _)| path.as_str())
            .chain(update.removed.iter().map(String::as_str))
            .collect();
        if changed.is_empty() {
            // Saved without a change that shows.
            return;
        }
        changed.sort_unstable();
        serde_json::to_string(&changed).unwrap_or_default().into()
    };
    for (path, bytes) in &update.changed {
        served.files.insert(path.clone(), bytes.clone());
    }
    for path in &update.removed {
        served.files.remove(path);
    }
    served.errors = None;
    drop(served);
    let _ = shared.reload.send(reload);
}

/// Keeps serving the last good site, under an overlay showing `diags`.
fn fail(shared: &Shared, diags: Diagnostics) -> String {
    let n = diags.errors().count();
    eprint!("{}", diags.render(crate::diagnostics::use_colour()));
    shared
        .served
        .write()
        .unwrap_or_else(|e| e.into_inner())
        .errors = Some(diags);
    let _ = shared.reload.send(EVERY_PAGE.into());
    format!(
        "Build failed with {n} error{}; still serving the last good site",
        if n == 1 { "" } else { "s" }
    )
}

/// Threads for the background search index: all cores but one, which stays
/// free so that an edit is re-rendered at once while the index catches up.
fn index_threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get().saturating_sub(1).max(1))
}

async fn handle(State(shared): State<Arc<Shared>>, uri: Uri) -> Response {
    let path = uri.path();
    let Some(rel) = path.strip_prefix(shared.base_path.as_str()).or_else(|| {
        (path.to_string() + "/")
            .strip_prefix(shared.base_path.as_str())
            .map(|_| "")
    }) else {
        // Outside a sub-path base: point at the site.
        return redirect(&shared.base_path);
    };
    let rel = percent_decode(rel);
    if rel == EVENTS_PATH {
        return events(&shared).into_response();
    }
    let served = shared.served.read().unwrap_or_else(|e| e.into_inner());
    let key = if rel.is_empty() || rel.ends_with('/') {
        format!("{rel}index.html")
    } else {
        rel.clone()
    };
    if let Some(bytes) = served.files.get(&key) {
        return file_response(&shared, &served, &key, bytes.clone(), StatusCode::OK);
    }
    if served.files.contains_key(&format!("{rel}/index.html")) {
        return redirect(&format!("{}{rel}/", shared.base_path));
    }
    match served.files.get("404.html") {
        Some(bytes) => file_response(
            &shared,
            &served,
            "404.html",
            bytes.clone(),
            StatusCode::NOT_FOUND,
        ),
        None if served.errors.is_some() => file_response(
            &shared,
            &served,
            "index.html",
            Bytes::from_static(ERROR_PAGE.as_bytes()),
            StatusCode::OK,
        ),
        None => (StatusCode::NOT_FOUND, "not found").into_response(),
    }
}

const ERROR_PAGE: &str = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Build failed</title></head><body><main><h1>The site could not be built</h1></main></body></html>";

fn redirect(to: &str) -> Response {
    let mut r = StatusCode::FOUND.into_response();
    if let Ok(v) = HeaderValue::from_str(to) {
        r.headers_mut().insert(header::LOCATION, v);
    }
    r
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 3 <= bytes.len() {
            let hex = |b: u8| (b as char).to_digit(16);
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn file_response(
    shared: &Shared,
    served: &Served,
    path: &str,
    bytes: Bytes,
    status: StatusCode,
) -> Response {
    let mime = mime_guess::from_path(path).first_or_octet_stream();
    let body = if path.ends_with(".html") {
        Body::from(inject(shared, served, &bytes))
    } else {
        Body::from(bytes)
    };
    let mut r = Response::new(body);
    *r.status_mut() = status;
    if let Ok(v) = HeaderValue::from_str(mime.as_ref()) {
        r.headers_mut().insert(header::CONTENT_TYPE, v);
    }
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

/// Serve mode only: the live-reload script, and the error overlay while a build is failing.
fn inject(shared: &Shared, served: &Served, html: &[u8]) -> String {
    let html = String::from_utf8_lossy(html);
    let script = format!(
        // Reloads when the event lists this page's file (or says every page).
        "<script>(function(){{var b=\"{}\",s=new EventSource(b+\"{EVENTS_PATH}\");s.addEventListener(\"reload\",function(e){{var k=decodeURIComponent(location.pathname.slice(b.length));if(k===\"\"||k.slice(-1)===\"/\")k+=\"index.html\";if(e.data===\"{EVERY_PAGE}\"||JSON.parse(e.data).indexOf(k)>=0)location.reload();}});}})();</script>\n",
        shared.base_path
    );
    let mut out = match html.rfind("</body>") {
        Some(i) => format!("{}{script}{}", &html[..i], &html[i..]),
        None => format!("{html}{script}"),
    };
    if let Some(diags) = &served.errors {
        let overlay = overlay(diags);
        match out.find("<body>") {
            Some(i) => out.insert_str(i + "<body>".len(), &overlay),
            None => out.insert_str(0, &overlay),
        }
    }
    out
}

/// An accessible panel listing every error, shown above the last good page.
pub fn overlay(diags: &Diagnostics) -> String {
    let n = diags.errors().count();
    let mut items = String::new();
    for d in diags.errors() {
        let location = match &d.file {
            Some(f) if d.line > 0 => format!("{}:{}", f.display(), d.line),
            Some(f) => f.display().to_string(),
            None => String::new(),
        };
        items.push_str(&format!(
            "<li><p><code>{}</code></p><p>{}</p>{}{}</li>",
            escape_html(&location),
            escape_html(&d.message),
            d.source_line
                .as_ref()
                .map(|l| format!("<pre>{} | {}</pre>", d.line, escape_html(l)))
                .unwrap_or_default(),
            d.hint
                .as_ref()
                .map(|h| format!("<p><strong>How to fix:</strong> {}</p>", escape_html(h)))
                .unwrap_or_default(),
        ));
    }
    format!(
        "<section id=\"fairguide-errors\" role=\"alert\" aria-labelledby=\"fairguide-errors-title\" style=\"position:relative;z-index:1000;margin:0;padding:1rem 1.5rem;background:#fff;color:#0b0c0c;border:5px solid #b10e1e;font:1.05rem/1.5 system-ui,sans-serif\">\
<h2 id=\"fairguide-errors-title\" style=\"margin:0 0 .5rem;color:#b10e1e\">The site could not be rebuilt: {n} error{}</h2>\
<p>Below is the last version that built. Fix the problem and save; this message goes away by itself.</p><ol>{items}</ol></section>",
        if n == 1 { "" } else { "s" }
    )
}

fn events(shared: &Shared) -> impl IntoResponse {
    let stream = BroadcastStream::new(shared.reload.subscribe())
        .filter_map(|msg| msg.ok())
        .map(|changed| {
            Ok::<_, std::convert::Infallible>(Event::default().event("reload").data(&*changed))
        });
    Sse::new(stream).keep_alive(KeepAlive::default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ignores_editor_temp_files() {
        assert!(relevant(Path::new("content/case-studies/x.md")));
        assert!(relevant(Path::new("site.toml")));
        assert!(!relevant(Path::new("content/.x.md.swp")));
        assert!(!relevant(Path::new("content/x.md~")));
        assert!(!relevant(Path::new("content/4913")));
        assert!(!relevant(Path::new("public/index.html")));
        assert!(!relevant(Path::new("target/debug/x")));
    }

    #[test]
    fn decodes_percent_escapes() {
        assert_eq!(percent_decode("a%20b/"), "a b/");
        assert_eq!(percent_decode("100%"), "100%");
    }
}
