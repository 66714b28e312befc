//! Edit-to-reload latency of `fairguide serve`: starts the server on a site,
//! saves a page the way editors do (temp file, then rename) and times how long
//! until the browser would be told to reload, and until the new text is served.
//!
//! cargo run --release --example serve_latency -- SITE_DIR [PAGE.md] [ROUNDS]
//!
//! PAGE.md is relative to SITE_DIR/content (default: the first case study).
//! The page is restored afterwards.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = PathBuf::from(
        args.first()
            .expect("usage: serve_latency SITE_DIR [PAGE.md] [ROUNDS]"),
    );
    let page_rel = args
        .get(1)
        .filter(|p| !p.is_empty())
        .cloned()
        .unwrap_or_else(|| first_case_study(&root));
    let rounds: usize = args.get(2).and_then(|r| r.parse().ok()).unwrap_or(20);
    let bin = std::env::var("FAIRGUIDE_BIN").unwrap_or_else(|_| {
        concat!(env!("CARGO_MANIFEST_DIR"), "/target/release/fairguide").into()
    });

    let mut child = Command::new(&bin)
        .args(["serve", "--root", root.to_str().unwrap(), "--port", "0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start fairguide serve (build it first: cargo build --release)");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = line
        .split_whitespace()
        .nth(1)
        .expect("serve printed no URL")
        .to_string();
    let rest = url.strip_prefix("http://").unwrap();
    let (host, base) = rest.split_at(rest.find('/').unwrap());
    let page_path = root.join("content").join(&page_rel);
    let original = std::fs::read_to_string(&page_path).expect("read page");
    let page_url = format!(
        "{base}{}",
        page_rel
            .trim_end_matches(".md")
            .trim_end_matches("_index")
            .to_string()
            + "/"
    );
    let page_url = page_url.replace("//", "/");
    // How reload events name files: the output path below the base.
    let page_file = format!("{}index.html", &page_url[base.len()..]);
    let section_file = format!("{}/index.html", page_rel.split('/').next().unwrap());

    // Start once the first search index is built, so it does not compete for the CPU.
    let warm = Instant::now();
    while !get(host, &format!("{base}pagefind/pagefind-entry.json")).starts_with("HTTP/1.1 200")
        && warm.elapsed() < Duration::from_secs(60)
    {
        std::thread::sleep(Duration::from_millis(50));
    }
    let mut events = subscribe(host, base);
    std::thread::sleep(Duration::from_millis(300));
    let mut body_times = Vec::new();
    let mut served_times = Vec::new();
    let mut title_times = Vec::new();
    let mut list_times = Vec::new();
    let mut current = original.clone();
    for round in 0..rounds {
        // A body edit (the front matter as it stands).
        let marker = format!("Latency marker {round}.");
        let started = Instant::now();
        save(&page_path, &format!("{current}\n\n{marker}\n"));
        wait_reload(&mut events, &page_file);
        body_times.push(started.elapsed());
        while !get(host, &page_url).contains(&marker) {
            std::thread::sleep(Duration::from_millis(1));
        }
        served_times.push(started.elapsed());
        // A front matter edit (the title): lists and indexes re-render too.
        let started = Instant::now();
        let retitled: Vec<String> = current
            .lines()
            .map(|l| {
                if l.starts_with("title:") {
                    format!("title: \"Edited page {round}\"")
                } else {
                    l.to_string()
                }
            })
            .collect();
        current = retitled.join("\n") + "\n";
        save(&page_path, &current);
        wait_reload(&mut events, &page_file);
        title_times.push(started.elapsed());
        // The section's list shows the new title once the lists are re-rendered.
        wait_reload(&mut events, &section_file);
        list_times.push(started.elapsed());
    }
    save(&page_path, &original);
    wait_reload(&mut events, &page_file);
    let _ = child.kill();
    let _ = child.wait();
    println!(
        "site: {}  page: {page_rel}  rounds: {rounds}",
        root.display()
    );
    report("body edit -> reload event sent", &mut body_times);
    report("body edit -> new page served", &mut served_times);
    report("title edit -> reload event sent", &mut title_times);
    report("title edit -> lists re-rendered", &mut list_times);
    println!("(includes the watcher's {} ms debounce)", 25);
}

fn first_case_study(root: &Path) -> String {
    let mut names: Vec<String> = std::fs::read_dir(root.join("content/case-studies"))
        .expect("no content/case-studies; pass PAGE.md")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".md") && n != "_index.md")
        .collect();
    names.sort();
    format!("case-studies/{}", names.first().expect("no case study"))
}

fn save(path: &Path, text: &str) {
    let tmp = path.with_file_name(".latency.tmp");
    std::fs::write(&tmp, text).unwrap();
    std::fs::rename(&tmp, path).unwrap();
}

fn subscribe(host: &str, base: &str) -> BufReader<TcpStream> {
    let mut s = TcpStream::connect(host).unwrap();
    write!(s, "GET {base}__fairguide/events HTTP/1.1\r\nHost: {host}\r\nAccept: text/event-stream\r\n\r\n").unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    BufReader::new(s)
}

/// Waits for a reload event that lists `file` (or every page).
fn wait_reload(events: &mut BufReader<TcpStream>, file: &str) {
    let mut line = String::new();
    loop {
        line.clear();
        events
            .read_line(&mut line)
            .expect("no reload event within 10 s");
        if let Some(data) = line.strip_prefix("data: ") {
            let data = data.trim_end();
            if data == "*" || data.contains(&format!("\"{file}\"")) {
                return;
            }
        }
    }
}

fn get(host: &str, path: &str) -> String {
    let mut s = TcpStream::connect(host).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut text = String::new();
    let _ = s.read_to_string(&mut text);
    text
}

fn report(label: &str, times: &mut [Duration]) {
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{label:<34} median {:>6.1} ms   p90 {:>6.1} ms   min {:>6.1} ms   max {:>6.1} ms",
        ms(times[times.len() / 2]),
        ms(times[(times.len() * 9 / 10).min(times.len() - 1)]),
        ms(times[0]),
        ms(times[times.len() - 1])
    );
}
