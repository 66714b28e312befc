//! `fairguide serve`: build into memory, serve on loopback, watch the site's
//! files, rebuild what a change needs and reload the open browser page.

use crate::diagnostics::Diagnostics;
use crate::html::escape_html;
use crate::incremental::{Incremental, Update};
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use notify::event::ModifyKind;
use notify::{EventKind, RecursiveMode};
use notify_debouncer_full::{new_debouncer_opt, DebounceEventResult, NoCache};
use std::collections::{HashMap, HashSet};
use std::net::{IpAddr, SocketAddr};
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

/// How long a client may take to send a request's headers, which is also how
/// long a kept-alive connection may sit idle: a slow or silent client cannot
/// hold a connection (and a file descriptor) for ever. Responses, such as the
/// live-reload stream, are not limited.
const HEADER_TIMEOUT: Duration = Duration::from_secs(10);

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
    /// The address listened on: requests must name it (or localhost).
    addr: SocketAddr,
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
    if let Some(warning) = exposure_warning(addr) {
        eprintln!("{warning}");
    }

    let (reload, _) = broadcast::channel(16);
    let shared = Arc::new(Shared {
        served: RwLock::new(Served::default()),
        generation: AtomicU64::new(0),
        reload,
        base_path: base_path.clone(),
        addr,
    });
    let mut session = Session {
        site: Incremental::new(&opts.root, Some(&base_url)),
    };
    let started = Instant::now();
    let summary = session.rebuild_guarded(&shared, &[]);
    eprintln!(
        "{summary} in {:.0} ms",
        started.elapsed().as_secs_f64() * 1000.0
    );
    let (debouncer, rx) = start_watching(&opts.root)?;
    let watch_shared = shared.clone();
    std::thread::spawn(move || watch(session, watch_shared, debouncer, rx));
    println!("Serving {base_url} (press Ctrl+C to stop)");

    let app = axum::Router::new().fallback(handle).with_state(shared);
    serve_http(listener, app).await;
    Ok(())
}

/// Says who else can see the site when it is served on more than loopback.
fn exposure_warning(addr: SocketAddr) -> Option<String> {
    if addr.ip().is_loopback() {
        return None;
    }
    let reach = if addr.ip().is_unspecified() {
        "every network this computer is on".to_string()
    } else {
        format!("the network of {}", addr.ip())
    };
    Some(format!(
        "warning: serving on {} makes the site visible to other machines on {reach}: \
the unpublished pages, the error overlay (file paths and lines of your files) and the \
live-reload endpoint\n  = hint: leave out --interface to serve on 127.0.0.1, this computer only",
        addr.ip()
    ))
}

/// Accepts connections until Ctrl+C, with [`HEADER_TIMEOUT`] on every one.
/// (`axum::serve` sets no timeout, so a client that sends nothing keeps its
/// connection for ever; enough of them and no file descriptor is left.)
async fn serve_http(listener: tokio::net::TcpListener, app: axum::Router) {
    let shutdown = tokio::signal::ctrl_c();
    tokio::pin!(shutdown);
    loop {
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(_) => {
                    // Out of file descriptors, say: give connections time to close.
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            _ = &mut shutdown => return,
        };
        let service = hyper_util::service::TowerToHyperService::new(app.clone());
        tokio::spawn(async move {
            let _ = hyper::server::conn::http1::Builder::new()
                .timer(hyper_util::rt::TokioTimer::new())
                .header_read_timeout(HEADER_TIMEOUT)
                .serve_connection(hyper_util::rt::TokioIo::new(stream), service)
                .await;
        });
    }
}

/// Folders and files whose changes matter, relative to the root.
const WATCHED: &[&str] = &[
    "content",
    "templates",
    "themes",
    "static",
    crate::collections::DATA_DIR,
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
                    let generation = shared.generation.load(Ordering::SeqCst);
                    if let Err(message) = catch_panic(|| session.index_search(&shared, &indexing)) {
                        indexing.store(false, Ordering::SeqCst);
                        search_panicked(&shared, generation, &message);
                    }
                    search_stale = false;
                }
                continue;
            }
            Err(RecvTimeoutError::Disconnected) => break,
        };
        let Ok(events) = result else { continue };
        let mut changed: Vec<PathBuf> = Vec::new();
        // Watched folders created, deleted or renamed (a `git checkout`, a sync tool).
        let mut replaced: Vec<PathBuf> = Vec::new();
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
                if is_watched_folder(rel) {
                    replaced.push(site_root.join(rel));
                }
            }
        }
        if changed.is_empty() {
            continue;
        }
        // A deleted folder's watch died with it: watch the new one afresh.
        for folder in replaced {
            let _ = debouncer.unwatch(&folder);
            watched.remove(&folder);
        }
        add_watches(&mut debouncer, &mut watched, &site_root);
        let started = Instant::now();
        let summary = session.rebuild_guarded(&shared, &changed);
        let names: Vec<String> = changed.iter().map(|p| p.display().to_string()).collect();
        eprintln!(
            "{summary} in {:.1} ms ({})",
            started.elapsed().as_secs_f64() * 1000.0,
            names.join(", ")
        );
        search_stale = true;
    }
}

/// True for `content`, `templates` and the other watched folders themselves.
fn is_watched_folder(rel: &Path) -> bool {
    let mut parts = rel.components();
    match (parts.next(), parts.next()) {
        (Some(std::path::Component::Normal(name)), None) => WATCHED
            .iter()
            .any(|w| *w != crate::config::CONFIG_FILE && name == *w),
        _ => false,
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
    !crate::editor_files::in_editor_path(rel)
}

/// Runs `f`; a panic inside it becomes its message instead of ending the thread.
fn catch_panic<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).map_err(|payload| {
        if let Some(s) = payload.downcast_ref::<&str>() {
            (*s).to_string()
        } else if let Some(s) = payload.downcast_ref::<String>() {
            s.clone()
        } else {
            "no message".to_string()
        }
    })
}

impl Session {
    /// [`Session::rebuild`], surviving a panic inside it (a bug in fairguide):
    /// the overlay says so over the last good site, the next change rebuilds
    /// everything, and watching goes on.
    fn rebuild_guarded(&mut self, shared: &Shared, changed: &[PathBuf]) -> String {
        self.guarded(shared, |session| session.rebuild(shared, changed))
    }

    fn guarded(&mut self, shared: &Shared, f: impl FnOnce(&mut Session) -> String) -> String {
        match catch_panic(|| f(self)) {
            Ok(summary) => summary,
            Err(message) => {
                // Whatever the panic left half-updated is dropped.
                self.site.reset();
                let nothing_served = shared
                    .served
                    .read()
                    .unwrap_or_else(|e| e.into_inner())
                    .files
                    .is_empty();
                let tail = if nothing_served {
                    "nothing could be built yet"
                } else {
                    "the last good site is still served"
                };
                let diag = crate::diagnostics::Diagnostic::error(format!(
                    "fairguide hit an internal error while rebuilding: {message}; \
                     this is a bug, please report it; {tail}"
                ))
                .hint("save again to retry; if it happens again, undo your last change and report the bug with the file you changed");
                fail(shared, Diagnostics(vec![diag]))
            }
        }
    }

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
            let result = catch_panic(|| {
                crate::search::index_inputs(inputs, &language, Some(index_threads()))
            });
            match result {
                Ok(Ok(index)) => {
                    let mut served = shared.served.write().unwrap_or_else(|e| e.into_inner());
                    if shared.generation.load(Ordering::SeqCst) == generation {
                        for f in index.files {
                            served.files.insert(f.path, Bytes::from(f.bytes));
                        }
                    }
                }
                Ok(Err(d)) => eprint!("{}", d.render(crate::diagnostics::use_colour())),
                Err(message) => search_panicked(&shared, generation, &message),
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

fn search_panicked(shared: &Shared, generation: u64, message: &str) {
    let diag = crate::diagnostics::Diagnostic::error(format!(
        "fairguide hit an internal error while building the search index: {message}; \
         this is a bug, please report it; the pages are still served, search is not up to date"
    ))
    .hint("save again to retry; if it happens again, report the bug with your site.toml");
    eprint!("{}", diag.render(crate::diagnostics::use_colour()));
    let mut served = shared.served.write().unwrap_or_else(|e| e.into_inner());
    // A newer build, or one that failed, has the say.
    if shared.generation.load(Ordering::SeqCst) == generation && served.errors.is_none() {
        served.errors = Some(Diagnostics(vec![diag]));
        drop(served);
        let _ = shared.reload.send(EVERY_PAGE.into());
    }
}

/// Threads for the background search index: all cores but one, which stays
/// free so that an edit is re-rendered at once while the index catches up.
fn index_threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get().saturating_sub(1).max(1))
}

async fn handle(
    State(shared): State<Arc<Shared>>,
    method: Method,
    headers: HeaderMap,
    uri: Uri,
) -> Response {
    let host = headers
        .get(header::HOST)
        .map(|h| String::from_utf8_lossy(h.as_bytes()).into_owned())
        .or_else(|| uri.authority().map(|a| a.to_string()));
    if let Some(refused) = refuse(&method, host.as_deref(), shared.addr) {
        return refused;
    }
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

/// Answers only GET and HEAD, and only for the address being served: a
/// `Host` naming another site is a web page elsewhere trying to read this one
/// through DNS rebinding.
fn refuse(method: &Method, host: Option<&str>, addr: SocketAddr) -> Option<Response> {
    if method != Method::GET && method != Method::HEAD {
        let mut r = (
            StatusCode::METHOD_NOT_ALLOWED,
            format!("fairguide serve answers only GET and HEAD requests, not {method}\n"),
        )
            .into_response();
        r.headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return Some(r);
    }
    match host {
        Some(host) if !host_allowed(host, addr.ip()) => Some(
            (
                StatusCode::FORBIDDEN,
                format!(
                    "fairguide serve refused a request for the host `{}`: it answers only for \
                     {addr}, localhost and IP addresses, so that other web sites cannot read \
                     the unpublished site (DNS rebinding)\n",
                    host.escape_debug()
                ),
            )
                .into_response(),
        ),
        _ => None,
    }
}

/// True for a `Host` header a browser sends for this server: `localhost` or
/// a loopback address when serving on loopback, and also any IP address when
/// serving on the network (an address, unlike a name, cannot be rebound).
/// Any port: a forwarded port (`ssh -L`, a container) changes it.
fn host_allowed(host: &str, bound: IpAddr) -> bool {
    let Some(name) = host_name(host) else {
        return false;
    };
    if name.eq_ignore_ascii_case("localhost") {
        return true;
    }
    match name.parse::<IpAddr>() {
        Ok(ip) => ip.is_loopback() || !bound.is_loopback(),
        Err(_) => false,
    }
}

/// The name or address in a `Host` header: `[::1]:1111` -> `::1`,
/// `localhost:1111` -> `localhost`; None if malformed.
fn host_name(host: &str) -> Option<&str> {
    let (name, port) = match host.strip_prefix('[') {
        Some(rest) => {
            let (ip, after) = rest.split_once(']')?;
            if after.is_empty() {
                (ip, None)
            } else {
                (ip, Some(after.strip_prefix(':')?))
            }
        }
        None => match host.rsplit_once(':') {
            Some((name, port)) => (name, Some(port)),
            None => (host, None),
        },
    };
    if port.is_some_and(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit())) {
        return None;
    }
    Some(name)
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
        assert!(!relevant(Path::new("content/about.md.bak")));
        assert!(!relevant(Path::new("content/about.md___jb_tmp___")));
        assert!(!relevant(Path::new("content/.obsidian/workspace.json")));
        assert!(!relevant(Path::new("public/index.html")));
        assert!(!relevant(Path::new("target/debug/x")));
    }

    fn session_on(root: &Path) -> (Session, Shared) {
        let (reload, _) = broadcast::channel(16);
        let addr: SocketAddr = "127.0.0.1:1111".parse().unwrap();
        let shared = Shared {
            served: RwLock::new(Served::default()),
            generation: AtomicU64::new(0),
            reload,
            base_path: "/".into(),
            addr,
        };
        let session = Session {
            site: Incremental::new(root, Some("http://127.0.0.1:1111/")),
        };
        (session, shared)
    }

    fn served_error(shared: &Shared) -> Option<String> {
        let served = shared.served.read().unwrap_or_else(|e| e.into_inner());
        served.errors.as_ref().map(|d| d.0[0].message.clone())
    }

    #[test]
    fn a_panic_in_a_rebuild_is_shown_and_the_next_rebuild_starts_afresh() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/every-kind");
        let (mut session, shared) = session_on(&root);
        let mut events = shared.reload.subscribe();

        // Before anything was built.
        let summary = session.guarded(&shared, |_| panic!("index out of bounds"));
        assert!(
            summary.starts_with("Build failed with 1 error"),
            "{summary}"
        );
        assert_eq!(
            served_error(&shared).unwrap(),
            "fairguide hit an internal error while rebuilding: index out of bounds; \
             this is a bug, please report it; nothing could be built yet"
        );
        assert_eq!(&*events.try_recv().unwrap(), EVERY_PAGE);

        // A good build clears the overlay.
        let summary = session.rebuild_guarded(&shared, &[]);
        assert!(summary.starts_with("Built "), "{summary}");
        assert_eq!(served_error(&shared), None);
        assert!(session.site.site().is_some());

        // A panic half-way through, with the site served: the last good site
        // stays, under the overlay, and the session is marked for a full rebuild.
        let summary = session.guarded(&shared, |s| {
            s.site.reset();
            panic!("{} went wrong", "something")
        });
        assert!(
            summary.contains("still serving the last good site"),
            "{summary}"
        );
        let message = served_error(&shared).unwrap();
        assert_eq!(
            message,
            "fairguide hit an internal error while rebuilding: something went wrong; \
             this is a bug, please report it; the last good site is still served"
        );
        assert!(session.site.site().is_none());
        {
            let served = shared.served.read().unwrap();
            assert!(served.files.contains_key("about/index.html"));
            let page = inject(&shared, &served, b"<html><body><p>x</p></body></html>");
            assert!(
                page.contains("something went wrong; this is a bug"),
                "{page}"
            );
        }

        // The next change, whatever it is, rebuilds everything.
        let changed = [PathBuf::from("content/about.md")];
        let summary = session.rebuild_guarded(&shared, &changed);
        assert!(summary.starts_with("Built "), "{summary}");
        assert_eq!(served_error(&shared), None);
    }

    #[test]
    fn a_panic_in_the_search_indexer_is_shown_until_the_next_build() {
        let (_, shared) = session_on(Path::new("."));
        let message = catch_panic(|| -> u32 { panic!("bad language tag") }).unwrap_err();
        search_panicked(&shared, 0, &message);
        assert!(served_error(&shared).unwrap().starts_with(
            "fairguide hit an internal error while building the search index: bad language tag;"
        ));
        // An index of an older build says nothing.
        let (_, shared) = session_on(Path::new("."));
        search_panicked(&shared, 7, "old");
        assert_eq!(served_error(&shared), None);
    }

    #[test]
    fn answers_only_get_and_head() {
        let addr: SocketAddr = "127.0.0.1:1111".parse().unwrap();
        assert!(refuse(&Method::GET, Some("127.0.0.1:1111"), addr).is_none());
        assert!(refuse(&Method::HEAD, Some("127.0.0.1:1111"), addr).is_none());
        for method in [Method::POST, Method::PUT, Method::DELETE, Method::OPTIONS] {
            let r = refuse(&method, Some("127.0.0.1:1111"), addr).unwrap();
            assert_eq!(r.status(), StatusCode::METHOD_NOT_ALLOWED);
            assert_eq!(r.headers()[header::ALLOW], "GET, HEAD");
        }
        let r = refuse(&Method::GET, Some("evil.example"), addr).unwrap();
        assert_eq!(r.status(), StatusCode::FORBIDDEN);
    }

    #[test]
    fn accepts_only_hosts_that_name_this_server() {
        let loopback: IpAddr = "127.0.0.1".parse().unwrap();
        for host in [
            "127.0.0.1:1111",
            "localhost:1111",
            "LocalHost:1111",
            "[::1]:1111",
            "127.0.0.1",
            "localhost",
            "[::1]",
            "localhost:8080",
        ] {
            assert!(host_allowed(host, loopback), "{host}");
        }
        for host in [
            "evil.example",
            "evil.example:1111",
            "localhost.evil.example:1111",
            "192.168.1.20:1111",
            "127.0.0.1:x",
            "127.0.0.1:",
            "[::1",
            "[::1]x",
            "",
        ] {
            assert!(!host_allowed(host, loopback), "{host}");
        }
        for bound in ["0.0.0.0", "::", "192.168.1.20"] {
            let bound: IpAddr = bound.parse().unwrap();
            for host in [
                "192.168.1.20:1111",
                "10.0.0.5:1111",
                "[fe80::1]:1111",
                "localhost:1111",
            ] {
                assert!(host_allowed(host, bound), "{host} on {bound}");
            }
            assert!(!host_allowed("evil.example:1111", bound));
            assert!(!host_allowed("printer.local:1111", bound));
        }
    }

    #[test]
    fn warns_when_serving_beyond_this_computer() {
        assert_eq!(exposure_warning("127.0.0.1:1111".parse().unwrap()), None);
        assert_eq!(exposure_warning("[::1]:1111".parse().unwrap()), None);
        for addr in ["0.0.0.0:1111", "[::]:1111", "192.168.1.20:1111"] {
            let w = exposure_warning(addr.parse().unwrap()).unwrap();
            assert!(w.starts_with("warning: serving on "), "{w}");
            for needle in [
                "other machines",
                "error overlay",
                "live-reload",
                "127.0.0.1",
            ] {
                assert!(w.contains(needle), "{needle} in {w}");
            }
        }
    }

    #[test]
    fn knows_a_watched_folder_itself() {
        assert!(is_watched_folder(Path::new("content")));
        assert!(is_watched_folder(Path::new("templates")));
        assert!(is_watched_folder(Path::new("static")));
        assert!(!is_watched_folder(Path::new("site.toml")));
        assert!(!is_watched_folder(Path::new("content/about.md")));
        assert!(!is_watched_folder(Path::new("public")));
    }

    #[test]
    fn decodes_percent_escapes() {
        assert_eq!(percent_decode("a%20b/"), "a b/");
        assert_eq!(percent_decode("100%"), "100%");
    }
}
