//! The `fairguide` command: parses arguments and calls the library.

use clap::{Parser, Subcommand};
use fairguide::diagnostics::use_colour;
use std::path::PathBuf;
use std::process::ExitCode;

// Pagefind's indexer allocates millions of small buffers across threads;
// mimalloc does that faster and returns memory sooner than glibc's malloc.
// Built without transparent huge pages (feature `no_thp`): with them, every
// page mimalloc purged and reused was zeroed again 2 MB at a time.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "fairguide",
    version,
    about = "Build the fair and equitable collaboration guide as a static website"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into the output folder.
    Build {
        /// The site's folder (holding site.toml and content/).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Where to write the site; defaults to ROOT/public.
        #[arg(long)]
        output: Option<PathBuf>,
        /// The address the site will be served from, e.g. https://example.org/guide/.
        #[arg(long)]
        base_url: Option<String>,
        /// Print how long each stage took.
        #[arg(long)]
        timings: bool,
        /// Skip the search index (the search page then shows only the A–Z list).
        #[arg(long)]
        no_search: bool,
        /// Write a copy that works opened straight from disk (file://), without search.
        #[arg(long)]
        offline: bool,
        /// Also pack the offline copy into this zip file (implies --offline).
        #[arg(long, value_name = "FILE")]
        zip: Option<PathBuf>,
    },
    /// Build into memory, serve on this machine, and rebuild and reload on every save.
    Serve {
        /// The site's folder (holding site.toml and content/).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The interface to listen on.
        #[arg(long, default_value = "127.0.0.1")]
        interface: String,
        /// The port to listen on; 0 picks a free one.
        #[arg(long, short, default_value_t = 1111)]
        port: u16,
    },
    /// Validate everything the build does, plus accessibility and plain-English lints.
    Check {
        /// The site's folder (holding site.toml and content/).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Output for people (`human`) or tools (`json`).
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// `--deny warnings` makes warnings fail the check too.
        #[arg(long, value_enum)]
        deny: Option<Deny>,
    },
    /// Start a new site in a new or empty folder: settings, an example page of each kind, a guide for editors.
    Init {
        /// The folder to create the site in (made if missing; must be empty).
        #[arg(default_value = ".")]
        dir: PathBuf,
    },
    /// Write JSON Schemas for every kind of page's front matter and for site.toml, for help while typing.
    Schema {
        /// The site's folder (holding site.toml): its stakeholder ids are offered as values.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Where to write the schemas; defaults to ROOT/schemas.
        #[arg(long)]
        output: Option<PathBuf>,
    },
    /// Create a new page with complete front matter, e.g. `fairguide new case-study "Croydon partnership"`.
    New {
        #[arg(help = fairguide::scaffold::new_kinds_help())]
        kind: String,
        /// The page's title; the file is named after it.
        title: String,
        /// The site's folder (holding site.toml and content/).
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    Human,
    Json,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Deny {
    Warnings,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let colour = use_colour();
    match cli.command {
        Command::Init { dir } => match fairguide::scaffold::init(&dir) {
            Ok(files) => {
                println!(
                    "Created a new site in {} ({} files).",
                    dir.display(),
                    files.len()
                );
                println!(
                    "Next: `fairguide serve --root {}` to see it, and read {} there.",
                    dir.display(),
                    fairguide::scaffold::EDITORS_GUIDE
                );
                ExitCode::SUCCESS
            }
            Err(d) => {
                eprint!("{}", d.render(colour));
                ExitCode::FAILURE
            }
        },
        Command::Schema { root, output } => {
            let dir = output.unwrap_or_else(|| root.join(fairguide::schema::DEFAULT_DIR));
            match fairguide::schema::write(&root, &dir) {
                Ok(files) => {
                    println!("Wrote {} schemas into {}", files.len(), dir.display());
                    ExitCode::SUCCESS
                }
                Err(d) => {
                    eprint!("{}", d.render(colour));
                    ExitCode::FAILURE
                }
            }
        }
        Command::New { kind, title, root } => {
            match fairguide::scaffold::new_page(&root, &kind, &title) {
                Ok(path) => {
                    println!("Created {}", root.join(&path).display());
                    println!("Fill in its front matter, then see it with `fairguide serve`.");
                    ExitCode::SUCCESS
                }
                Err(d) => {
                    eprint!("{}", d.render(colour));
                    ExitCode::FAILURE
                }
            }
        }
        Command::Check { root, format, deny } => {
            let report = fairguide::check::check(&root);
            match format {
                Format::Json => println!(
                    "{}",
                    serde_json::to_string_pretty(&report).unwrap_or_default()
                ),
                Format::Human => print_check(&report, colour),
            }
            let failed = report.errors > 0 || (deny == Some(Deny::Warnings) && report.warnings > 0);
            if failed {
                ExitCode::FAILURE
            } else {
                ExitCode::SUCCESS
            }
        }
        Command::Serve {
            root,
            interface,
            port,
        } => {
            match fairguide::serve::serve(fairguide::serve::ServeOptions {
                root,
                interface,
                port,
            }) {
                Ok(()) => ExitCode::SUCCESS,
                Err(diags) => {
                    eprint!("{}", diags.render(colour));
                    ExitCode::FAILURE
                }
            }
        }
        Command::Build {
            root,
            output,
            base_url,
            timings,
            no_search,
            offline,
            zip,
        } => {
            let mut opts = fairguide::BuildOptions::new(&root);
            if let Some(o) = output {
                opts.output = o;
            }
            opts.base_url = base_url;
            opts.search = !no_search;
            opts.offline = offline;
            opts.zip = zip;
            match fairguide::build(&opts) {
                Ok(report) => {
                    eprint!("{}", report.warnings.render(colour));
                    if timings {
                        let ms = |d: &std::time::Duration| d.as_secs_f64() * 1000.0;
                        let (steps, stages): (Vec<_>, Vec<_>) = report
                            .timings
                            .iter()
                            .partition(|(s, _)| fairguide::search::INDEX_STEPS.contains(s));
                        for &(stage, ref d) in stages {
                            eprintln!("{stage:>10}: {:>8.1} ms", ms(d));
                            if stage == "index" {
                                let steps: Vec<String> = steps
                                    .iter()
                                    .map(|(s, d)| format!("{s} {:.1} ms", ms(d)))
                                    .collect();
                                eprintln!("{:>10}  = {}", "", steps.join(" + "));
                            }
                        }
                    }
                    let total = report.timings.last().map_or(0.0, |t| t.1.as_secs_f64());
                    println!(
                        "Built {} pages ({} files) into {} in {:.2} s",
                        report.pages,
                        report.files,
                        opts.output.display(),
                        total
                    );
                    if let Some(zip) = &opts.zip {
                        println!("Packed the offline copy into {}", zip.display());
                    }
                    ExitCode::SUCCESS
                }
                Err(diags) => {
                    eprint!("{}", diags.render(colour));
                    let n = diags.errors().count();
                    eprintln!(
                        "Build failed with {n} error{}; the previous output was left untouched.",
                        if n == 1 { "" } else { "s" }
                    );
                    ExitCode::FAILURE
                }
            }
        }
    }
}

fn print_check(report: &fairguide::check::CheckReport, colour: bool) {
    for d in &report.diagnostics {
        eprintln!("{}", d.render(colour));
    }
    if let Some(target) = report.target_grade {
        let mut pages: Vec<&fairguide::check::PageReport> =
            report.pages.iter().filter(|p| p.words > 0).collect();
        pages.sort_by(|a, b| {
            b.reading_grade
                .total_cmp(&a.reading_grade)
                .then(a.file.cmp(&b.file))
        });
        println!("Reading grade by page (Flesch-Kincaid; target {target}):");
        for p in &pages {
            let flag = if p.reading_grade > target && p.words >= 30 {
                "  above target"
            } else {
                ""
            };
            println!(
                "  {:>5.1}  {:>5} words  {}{flag}",
                p.reading_grade, p.words, p.file
            );
        }
    }
    println!(
        "Checked {} pages: {} error{}, {} warning{}.",
        report.pages.len(),
        report.errors,
        if report.errors == 1 { "" } else { "s" },
        report.warnings,
        if report.warnings == 1 { "" } else { "s" }
    );
}
