//! The `fairguide` command: parses arguments and calls the library.

use clap::{Parser, Subcommand};
use fairguide::diagnostics::use_colour;
use std::path::PathBuf;
use std::process::ExitCode;

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
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let colour = use_colour();
    match cli.command {
        Command::Build {
            root,
            output,
            base_url,
            timings,
            no_search,
        } => {
            let mut opts = fairguide::BuildOptions::new(&root);
            if let Some(o) = output {
                opts.output = o;
            }
            opts.base_url = base_url;
            opts.search = !no_search;
            match fairguide::build(&opts) {
                Ok(report) => {
                    eprint!("{}", report.warnings.render(colour));
                    if timings {
                        for (stage, d) in &report.timings {
                            eprintln!("{stage:>10}: {:>8.1} ms", d.as_secs_f64() * 1000.0);
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
