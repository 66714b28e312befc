//! `fairguide serve`: edits the way editors save, and sees the browser told to reload.

mod common;
use common::*;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

struct Server {
    child: Child,
    base: String, // e.g. 127.0.0.1:4321
    path: String, // e.g. /guide/
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(root: &std::path::Path) -> Server {
    start_with(root, &[], None, Stdio::null())
}

/// Starts `fairguide serve` with `args` added, optionally allowed only
/// `fd_limit` open files (as on macOS, where the default is 256).
fn start_with(
    root: &std::path::Path,
    args: &[&str],
    fd_limit: Option<u32>,
    stderr: Stdio,
) -> Server {
    let bin = env!("CARGO_BIN_EXE_fairguide");
    let mut command = match fd_limit {
        Some(n) => {
            let mut c = Command::new("sh");
            c.args(["-c", &format!("ulimit -n {n} && exec \"$0\" \"$@\""), bin]);
            c
        }
        None => Command::new(bin),
    };
    let mut child = command
        .args(["serve", "--root", root.to_str().unwrap(), "--port", "0"])
        .args(args)
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(stderr)
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = line
        .split_whitespace()
        .nth(1)
        .unwrap_or_else(|| panic!("no URL in {line:?}"))
        .to_string();
    let rest = url.strip_prefix("http://").unwrap();
    let slash = rest.find('/').unwrap();
    Server {
        child,
        base: rest[..slash].to_string(),
        path: rest[slash..].to_string(),
    }
}

/// A plain HTTP/1.1 GET; returns (status, body).
fn get(server: &Server, rel: &str) -> (u16, String) {
    let mut s = TcpStream::connect(&server.base).unwrap();
    write!(
        s,
        "GET {}{rel} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
        server.path, server.base
    )
    .unwrap();
    let mut text = String::new();
    s.read_to_string(&mut text).unwrap();
    let status = text
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let body = text
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    (status, body)
}

/// Subscribes to live-reload events; the returned reader yields SSE lines.
fn subscribe(server: &Server) -> BufReader<TcpStream> {
    let mut s = TcpStream::connect(&server.base).unwrap();
    write!(
        s,
        "GET {}__fairguide/events HTTP/1.1\r\nHost: {}\r\nAccept: text/event-stream\r\n\r\n",
        server.path, server.base
    )
    .unwrap();
    s.set_read_timeout(Some(Duration::from_millis(200)))
        .unwrap();
    BufReader::new(s)
}

fn wait_for_reload(events: &mut BufReader<TcpStream>, within: Duration) -> bool {
    let start = Instant::now();
    let mut line = String::new();
    while start.elapsed() < within {
        line.clear();
        if events.read_line(&mut line).is_ok() && line.starts_with("event: reload") {
            return true;
        }
    }
    false
}

/// Waits for a reload event naming `file` (an output path such as
/// `about/index.html`) or every page (`*`).
fn wait_for_reload_of(events: &mut BufReader<TcpStream>, file: &str, within: Duration) -> bool {
    let start = Instant::now();
    let mut line = String::new();
    while start.elapsed() < within {
        line.clear();
        if events.read_line(&mut line).is_ok() {
            if let Some(data) = line.strip_prefix("data: ") {
                let data = data.trim_end();
                if data == "*" || data.contains(&format!("\"{file}\"")) {
                    return true;
                }
            }
        }
    }
    false
}

fn wait_until(within: Duration, mut f: impl FnMut() -> bool) -> bool {
    let start = Instant::now();
    while start.elapsed() < within {
        if f() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(25));
    }
    false
}

/// Saves like many editors do: write a temp file beside it, then rename over.
fn save_via_rename(path: &std::path::Path, text: &str) {
    let tmp = path.with_file_name(format!(
        ".{}.tmp",
        path.file_name().unwrap().to_string_lossy()
    ));
    std::fs::write(&tmp, text).unwrap();
    std::fs::rename(&tmp, path).unwrap();
}

#[test]
fn edit_reloads_then_error_overlay_then_recovery() {
    let site = copy_fixture("every-kind");
    let server = start(site.path());
    let (status, body) = get(&server, "about/");
    assert_eq!(status, 200);
    assert!(body.contains("This guide is about"));
    assert!(
        body.contains("EventSource"),
        "reload script injected in serve mode"
    );
    let mut events = subscribe(&server);

    let about = site.path().join("content/about.md");
    let original = std::fs::read_to_string(&about).unwrap();
    save_via_rename(
        &about,
        &original.replace("This guide is about", "Edited: this guide is about"),
    );
    assert!(
        wait_for_reload(&mut events, Duration::from_secs(2)),
        "no reload event within 2 s"
    );
    assert!(get(&server, "about/")
        .1
        .contains("Edited: this guide is about"));
    // A title in the menu: every page follows, the home page among them.
    save_via_rename(
        &about,
        &original.replace("title: About this guide", "title: About the guide"),
    );
    assert!(wait_for_reload(&mut events, Duration::from_secs(2)));
    assert!(wait_until(Duration::from_secs(2), || get(&server, "")
        .1
        .contains(">About the guide</a>")));

    // Broken front matter: overlay names file and line; last good page still served.
    save_via_rename(
        &about,
        "---\ntitle: \"unterminated\nnav: true\n---\nBroken\n",
    );
    assert!(wait_until(Duration::from_secs(2), || get(
        &server, "about/"
    )
    .1
    .contains("fairguide-errors")));
    let (status, body) = get(&server, "about/");
    assert_eq!(status, 200);
    assert!(
        body.contains("id=\"fairguide-errors\" role=\"alert\""),
        "{body}"
    );
    assert!(body.contains("content/about.md:2"), "{body}");
    assert!(
        body.contains("About the guide"),
        "last good page still served"
    );

    // Fixed: overlay gone.
    save_via_rename(&about, &original);
    assert!(wait_until(Duration::from_secs(2), || !get(
        &server, "about/"
    )
    .1
    .contains("fairguide-errors")));
    assert!(get(&server, "about/").1.contains("This guide is about"));
}

#[test]
fn new_deleted_and_renamed_files_are_picked_up() {
    let site = copy_fixture("every-kind");
    let server = start(site.path());
    let dir = site.path().join("content/case-studies");
    // A new folder and a new file inside it.
    std::fs::create_dir_all(site.path().join("content/guides")).unwrap();
    std::fs::write(
        site.path().join("content/guides/croydon.md"),
        "---\ntitle: Croydon\n---\nNew page.\n",
    )
    .unwrap();
    assert!(
        wait_until(Duration::from_secs(3), || get(&server, "guides/croydon/").0
            == 200),
        "new file not served"
    );
    // Renamed.
    std::fs::rename(dir.join("camden.md"), dir.join("camden-boards.md")).unwrap();
    // The recommendation still names `camden`: the rename breaks it, and the overlay says so.
    assert!(wait_until(Duration::from_secs(3), || get(&server, "")
        .1
        .contains("fairguide-errors")));
    std::fs::write(
        site.path()
            .join("content/recommendations/fund-partnerships.md"),
        std::fs::read_to_string(
            site.path()
                .join("content/recommendations/fund-partnerships.md"),
        )
        .unwrap()
        .replace("[camden]", "[camden-boards]"),
    )
    .unwrap();
    assert!(wait_until(Duration::from_secs(3), || get(
        &server,
        "case-studies/camden-boards/"
    )
    .0 == 200
        && !get(&server, "").1.contains("fairguide-errors")));
    assert_eq!(get(&server, "case-studies/camden/").0, 404);
    // Deleted.
    std::fs::remove_file(site.path().join("content/guides/croydon.md")).unwrap();
    assert!(wait_until(Duration::from_secs(3), || get(
        &server,
        "guides/croydon/"
    )
    .0 == 404));
    // Swap and backup files never trigger a broken build.
    std::fs::write(dir.join(".camden-boards.md.swp"), "garbage").unwrap();
    std::fs::write(dir.join("camden-boards.md~"), "garbage").unwrap();
    std::thread::sleep(Duration::from_millis(300));
    assert!(!get(&server, "").1.contains("fairguide-errors"));
}

#[test]
fn serve_honours_a_sub_path_base_url() {
    let site = copy_fixture("every-kind");
    let toml = std::fs::read_to_string(site.path().join("site.toml")).unwrap();
    std::fs::write(
        site.path().join("site.toml"),
        toml.replace("https://example.org/", "https://example.org/guide/"),
    )
    .unwrap();
    let server = start(site.path());
    assert_eq!(server.path, "/guide/");
    let (status, body) = get(&server, "principles/");
    assert_eq!(status, 200);
    assert!(
        body.contains("href=\"/guide/principles/equal-partners/\""),
        "{body}"
    );
    assert_eq!(get(&server, "nope/").0, 404);
    // The search index follows once saves settle, under the sub-path too.
    assert!(wait_until(Duration::from_secs(20), || get(
        &server,
        "pagefind/pagefind.js"
    )
    .0 == 200));
}

#[test]
fn a_title_edit_reloads_the_page_first_then_the_pages_that_list_it() {
    let site = copy_fixture("every-kind");
    let server = start(site.path());
    let mut events = subscribe(&server);
    let camden = site.path().join("content/case-studies/camden.md");
    let original = std::fs::read_to_string(&camden).unwrap();

    // A body edit reloads the page itself, then /print/, which shows it too.
    save_via_rename(
        &camden,
        &original.replace("Raw HTML must not", "Raw HTML may never"),
    );
    assert!(wait_for_reload_of(
        &mut events,
        "case-studies/camden/index.html",
        Duration::from_secs(2)
    ));
    assert!(wait_for_reload_of(
        &mut events,
        "print/index.html",
        Duration::from_secs(2)
    ));
    assert!(get(&server, "case-studies/camden/")
        .1
        .contains("Raw HTML may never"));

    // A title edit: the page's own reload comes first, alone; the section
    // list, the barrier it shows and the A-Z list follow in the next event.
    let retitled = original.replace(
        "title: \"Camden: <script>alert('title')</script> representation\"",
        "title: Camden boards",
    );
    save_via_rename(&camden, &retitled);
    let mut first = String::new();
    let start = Instant::now();
    while !first.starts_with("data: ") && start.elapsed() < Duration::from_secs(2) {
        first.clear();
        let _ = events.read_line(&mut first);
    }
    assert_eq!(
        first.trim_end(),
        "data: [\"case-studies/camden/index.html\"]"
    );
    assert!(wait_for_reload_of(
        &mut events,
        "case-studies/index.html",
        Duration::from_secs(2)
    ));
    for listing in ["case-studies/", "barriers/trust-and-control/", "search/"] {
        assert!(
            get(&server, listing).1.contains("Camden boards"),
            "{listing} lists the new title"
        );
    }
}

/// Sends `request` as it is; returns the whole response.
fn raw(server: &Server, request: &str) -> String {
    let mut s = TcpStream::connect(&server.base).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    s.write_all(request.as_bytes()).unwrap();
    let mut text = String::new();
    s.read_to_string(&mut text).unwrap();
    text
}

#[test]
fn a_rebuild_that_panics_is_reported_and_later_saves_are_still_seen() {
    let site = copy_fixture("every-kind");
    let server = start(site.path());
    let camden = site.path().join("content/case-studies/camden.md");
    let original = std::fs::read_to_string(&camden).unwrap();
    // A date whose 10th byte is inside `é` made the feed's date code panic
    // (a byte slice off a char boundary), which killed the watcher. Dates are
    // validated now (an error at the file); the panic path itself is covered
    // by the unit tests around `Session::guarded` in src/serve.rs.
    save_via_rename(
        &camden,
        &original.replace("date: 2007-10-01", "date: \"2007-10-0é\""),
    );
    let mut overlay = String::new();
    assert!(
        wait_until(Duration::from_secs(5), || {
            overlay = get(&server, "case-studies/camden/").1;
            overlay.contains("id=\"fairguide-errors\"")
        }),
        "no overlay after the save"
    );
    // An error at the file, or, should a panic remain, the internal error.
    assert!(
        overlay.contains("fairguide hit an internal error while rebuilding: ")
            && overlay
                .contains("this is a bug, please report it; the last good site is still served")
            || overlay.contains("content/case-studies/camden.md"),
        "{overlay}"
    );
    assert!(
        overlay.contains("Raw HTML must not"),
        "last good page still served"
    );

    // The fix is seen, and so is the next edit.
    save_via_rename(
        &camden,
        &original.replace("Raw HTML must not", "Fixed: raw HTML must not"),
    );
    assert!(wait_until(Duration::from_secs(5), || {
        let body = get(&server, "case-studies/camden/").1;
        !body.contains("fairguide-errors") && body.contains("Fixed: raw HTML must not")
    }));
    let about = site.path().join("content/about.md");
    let text = std::fs::read_to_string(&about).unwrap();
    save_via_rename(
        &about,
        &text.replace("This guide is about", "Still watching: this guide is about"),
    );
    assert!(wait_until(Duration::from_secs(5), || get(
        &server, "about/"
    )
    .1
    .contains("Still watching")));
}

#[test]
fn content_deleted_and_recreated_is_still_watched() {
    let site = copy_fixture("every-kind");
    let server = start(site.path());
    let content = site.path().join("content");
    let saved = files(&content);
    let texts: Vec<Vec<u8>> = saved
        .iter()
        .map(|f| std::fs::read(content.join(f)).unwrap())
        .collect();
    // A `git checkout` or a sync tool removes the folder and writes it anew.
    std::fs::remove_dir_all(&content).unwrap();
    assert!(wait_until(Duration::from_secs(5), || get(&server, "")
        .1
        .contains("there is no content/ folder")));
    for (f, bytes) in saved.iter().zip(&texts) {
        let to = content.join(f);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::write(to, bytes).unwrap();
    }
    assert!(wait_until(Duration::from_secs(5), || {
        let body = get(&server, "about/").1;
        !body.contains("fairguide-errors") && body.contains("This guide is about")
    }));
    // An edit inside the new folder.
    let about = content.join("about.md");
    let text = std::fs::read_to_string(&about).unwrap();
    save_via_rename(
        &about,
        &text.replace(
            "This guide is about",
            "After the checkout: this guide is about",
        ),
    );
    assert!(
        wait_until(Duration::from_secs(5), || get(&server, "about/")
            .1
            .contains("After the checkout")),
        "an edit in the re-created content/ was not seen"
    );
    // And a new page in a new sub-folder of it.
    std::fs::create_dir_all(content.join("guides")).unwrap();
    std::fs::write(
        content.join("guides/croydon.md"),
        "---\ntitle: Croydon\n---\nNew page.\n",
    )
    .unwrap();
    assert!(wait_until(Duration::from_secs(5), || get(
        &server,
        "guides/croydon/"
    )
    .0 == 200));
}

#[test]
fn answers_only_get_and_head_for_its_own_address() {
    let site = copy_fixture("every-kind");
    let server = start(site.path());
    let port = server.base.rsplit(':').next().unwrap().to_string();
    for method in ["POST", "PUT", "DELETE", "PATCH", "BREW"] {
        let r = raw(
            &server,
            &format!(
                "{method} /about/ HTTP/1.1\r\nHost: {}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                server.base
            ),
        );
        assert!(r.starts_with("HTTP/1.1 405 "), "{method}: {r}");
        assert!(r.to_lowercase().contains("\r\nallow: get, head\r\n"), "{r}");
    }
    let head = raw(
        &server,
        &format!(
            "HEAD /about/ HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
            server.base
        ),
    );
    assert!(head.starts_with("HTTP/1.1 200 "), "{head}");
    assert!(head.ends_with("\r\n\r\n"), "HEAD has no body: {head}");

    // DNS rebinding: a page on evil.example whose name now points at 127.0.0.1.
    for host in ["evil.example".to_string(), format!("evil.example:{port}")] {
        let r = raw(
            &server,
            &format!("GET /about/ HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"),
        );
        assert!(r.starts_with("HTTP/1.1 403 "), "{host}: {r}");
        assert!(r.contains("DNS rebinding"), "{r}");
        assert!(!r.contains("This guide is about"), "{r}");
    }
    for host in [
        format!("localhost:{port}"),
        format!("127.0.0.1:{port}"),
        format!("[::1]:{port}"),
    ] {
        let r = raw(
            &server,
            &format!("GET /about/ HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"),
        );
        assert!(r.starts_with("HTTP/1.1 200 "), "{host}: {r}");
        assert!(r.contains("This guide is about"));
    }
}

#[test]
fn idle_connections_time_out_and_live_reload_keeps_working() {
    let site = copy_fixture("every-kind");
    // 256 open files, as on macOS: 400 silent clients would hold them all for ever.
    let server = start_with(site.path(), &[], Some(256), Stdio::null());
    let mut events = subscribe(&server);
    let idle: Vec<TcpStream> = (0..400)
        .map(|_| TcpStream::connect(&server.base).unwrap())
        .collect();
    // Answered once the silent ones are timed out (`raw` waits at most 30 s).
    let r = raw(
        &server,
        &format!(
            "GET /about/ HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
            server.base
        ),
    );
    assert!(r.starts_with("HTTP/1.1 200 "), "{r}");
    assert!(r.contains("This guide is about"));
    // The first silent client was hung up on.
    let mut first = &idle[0];
    first
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    let mut buf = [0u8; 64];
    match first.read(&mut buf) {
        Ok(0) => {}
        Ok(n) => panic!(
            "unexpected answer: {:?}",
            String::from_utf8_lossy(&buf[..n])
        ),
        Err(e) => assert_eq!(e.kind(), std::io::ErrorKind::ConnectionReset, "{e}"),
    }
    drop(idle);
    // The live-reload stream, open all along, still works.
    let about = site.path().join("content/about.md");
    let text = std::fs::read_to_string(&about).unwrap();
    save_via_rename(
        &about,
        &text.replace("This guide is about", "Later: this guide is about"),
    );
    assert!(wait_for_reload(&mut events, Duration::from_secs(5)));
    assert!(get(&server, "about/")
        .1
        .contains("Later: this guide is about"));
}

#[test]
fn warns_when_serving_to_the_network() {
    let site = copy_fixture("every-kind");
    let mut server = start_with(
        site.path(),
        &["--interface", "0.0.0.0"],
        None,
        Stdio::piped(),
    );
    let port = server.base.rsplit(':').next().unwrap().to_string();
    let local = format!("127.0.0.1:{port}");
    // Any IP address names it (a LAN address, say); a host name does not.
    for (host, status) in [
        (format!("192.0.2.7:{port}"), "200"),
        (format!("evil.example:{port}"), "403"),
    ] {
        let mut s = TcpStream::connect(&local).unwrap();
        write!(
            s,
            "GET /about/ HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut r = String::new();
        s.read_to_string(&mut r).unwrap();
        assert!(r.starts_with(&format!("HTTP/1.1 {status} ")), "{host}: {r}");
    }

    let mut stderr = server.child.stderr.take().unwrap();
    let _ = server.child.kill();
    let mut err = String::new();
    stderr.read_to_string(&mut err).unwrap();
    assert!(
        err.contains("warning: serving on 0.0.0.0 makes the site visible to other machines on every network this computer is on: the unpublished pages, the error overlay (file paths and lines of your files) and the live-reload endpoint"),
        "{err}"
    );
}

/// The page as build writes it: serve's live-reload script taken out.
fn without_reload_script(html: &str) -> String {
    match (
        html.find("<script>(function(){var b="),
        html.find("})();</script>\n"),
    ) {
        (Some(start), Some(end)) if start < end => {
            format!(
                "{}{}",
                &html[..start],
                &html[end + "})();</script>\n".len()..]
            )
        }
        _ => html.to_string(),
    }
}

#[test]
fn after_edits_that_change_lists_serve_shows_what_build_writes() {
    let site = copy_fixture("every-kind");
    let root = site.path();
    std::fs::create_dir_all(root.join("content/guides")).unwrap();
    let write = |rel: &str, text: &str| std::fs::write(root.join(rel), text).unwrap();
    write(
        "content/guides/_index.md",
        "---\ntitle: Guides\n---\nGuides for partners.\n",
    );
    write(
        "content/guides/first-steps.md",
        "---\ntitle: First steps\n---\nStart here.\n",
    );
    write(
        "content/recommendations/_index.md",
        "---\ntitle: Recommendations\n---\nWhat to do.\n",
    );
    let server = start(root);
    let mut events = subscribe(&server);

    // A folder's _index.md retitled: its pages' breadcrumbs follow.
    let guides = root.join("content/guides/_index.md");
    save_via_rename(
        &guides,
        "---\ntitle: How-to guides\n---\nGuides for partners.\n",
    );
    assert!(wait_for_reload_of(
        &mut events,
        "guides/first-steps/index.html",
        Duration::from_secs(3)
    ));
    assert!(get(&server, "guides/first-steps/")
        .1
        .contains("How-to guides"));

    // A principle retitled: the recommendations' "Related principles" follow.
    let principle = root.join("content/principles/equal-partners.md");
    let text = std::fs::read_to_string(&principle).unwrap();
    save_via_rename(
        &principle,
        &text.replace("title: Treated as equal partners", "title: Equal partners"),
    );
    assert!(wait_for_reload_of(
        &mut events,
        "recommendations/index.html",
        Duration::from_secs(3)
    ));
    let (_, recommendations) = get(&server, "recommendations/");
    assert!(
        recommendations.contains(">Equal partners</a>"),
        "{recommendations}"
    );
    assert!(!recommendations.contains("Treated as equal partners"));

    // Every page served is the page build writes for the same files (at serve's address).
    let address = format!("http://{}{}", server.base, server.path);
    let built = build_ok(root, &["--no-search", "--base-url", &address]);
    let public = built.path().join("public");
    let mut compared = 0;
    for rel in files(&public) {
        if !rel.ends_with(".html") {
            continue;
        }
        let url = rel.trim_end_matches("index.html");
        let (status, body) = get(&server, url);
        assert!(status == 200 || rel == "404.html", "{rel}: {status}");
        assert_eq!(
            without_reload_script(&body),
            std::fs::read_to_string(public.join(&rel)).unwrap(),
            "serve and build differ on {rel}"
        );
        compared += 1;
    }
    assert!(compared > 15, "only {compared} pages compared");
}
