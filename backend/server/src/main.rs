//! `mrdp`: runs the Modern Research Data Portal services.

use clap::Parser;
use mrdp_server::cli::Cli;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.run() {
        Ok(code) => code,
        Err(e) => {
            eprintln!("mrdp: error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
