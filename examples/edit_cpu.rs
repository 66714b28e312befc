//! CPU time of one title edit in the incremental engine, without a server or
//! a file watcher: builds SITE_DIR in memory, then retitles a page ROUNDS
//! times and times each update (wall and CPU time of all threads), the
//! edited page's own files and then everything that lists it. CPU time
//! holds steady while other work shares the machine, wall time does not.
//! A profiler can be run on it (`perf record -g`).
//!
//! cargo run --release --example edit_cpu -- SITE_DIR [PAGE.md] [ROUNDS]
//!
//! PAGE.md is relative to SITE_DIR/content (default: the first case study).
//! The page is restored afterwards.

use fairguide::incremental::Incremental;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

// As the `fairguide` binary does: the allocator matters to these timings.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = PathBuf::from(
        args.first()
            .expect("usage: edit_cpu SITE_DIR [PAGE.md] [ROUNDS]"),
    );
    let page_rel = args
        .get(1)
        .filter(|p| !p.is_empty())
        .cloned()
        .unwrap_or_else(|| "case-studies/case-study-00001.md".into());
    let rounds: usize = args.get(2).and_then(|r| r.parse().ok()).unwrap_or(20);
    let rel = Path::new("content").join(&page_rel);
    let path = root.join(&rel);
    let original = std::fs::read_to_string(&path).expect("read page");

    let mut inc = Incremental::new(&root, None);
    if let Err(d) = inc.rebuild_all() {
        panic!("the site does not build:\n{}", d.render(false));
    }
    // A profiler can attach from here (`perf record -p PID`).
    eprintln!("built; editing (pid {})", std::process::id());
    let (mut own_wall, mut own_cpu, mut all_wall, mut all_cpu) = (vec![], vec![], vec![], vec![]);
    let mut rendered = 0;
    for round in 0..rounds {
        let retitled: Vec<String> = original
            .lines()
            .map(|l| match l.starts_with("title:") {
                true => format!("title: \"Edited page {round}\""),
                false => l.to_string(),
            })
            .collect();
        std::fs::write(&path, retitled.join("\n") + "\n").unwrap();
        let (wall, cpu) = (Instant::now(), cpu_time());
        let update = inc
            .apply_staged(std::slice::from_ref(&rel), |_| {
                own_wall.push(wall.elapsed());
                own_cpu.push(cpu_time() - cpu);
            })
            .unwrap_or_else(|d| panic!("{}", d.render(false)));
        all_wall.push(wall.elapsed());
        all_cpu.push(cpu_time() - cpu);
        rendered = update.rendered;
    }
    std::fs::write(&path, &original).unwrap();
    println!("site: {}  page: {page_rel}  rounds: {rounds}  outputs re-rendered after the page: {rendered}", root.display());
    report("title edit: own page, wall", &mut own_wall);
    report("title edit: own page, CPU", &mut own_cpu);
    report("title edit: lists too, wall", &mut all_wall);
    report("title edit: lists too, CPU", &mut all_cpu);
}

/// CPU time so far of every thread of this process (Linux: each thread's
/// `schedstat`, in nanoseconds).
fn cpu_time() -> Duration {
    let mut ns = 0u64;
    for task in std::fs::read_dir("/proc/self/task")
        .into_iter()
        .flatten()
        .flatten()
    {
        if let Ok(text) = std::fs::read_to_string(task.path().join("schedstat")) {
            ns += text
                .split_whitespace()
                .next()
                .and_then(|n| n.parse().ok())
                .unwrap_or(0);
        }
    }
    Duration::from_nanos(ns)
}

fn report(label: &str, times: &mut [Duration]) {
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{label:<30} median {:>6.1} ms   p90 {:>6.1} ms   min {:>6.1} ms   max {:>6.1} ms",
        ms(times[times.len() / 2]),
        ms(times[(times.len() * 9 / 10).min(times.len() - 1)]),
        ms(times[0]),
        ms(times[times.len() - 1])
    );
}
