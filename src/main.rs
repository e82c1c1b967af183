//! The `tradewind` command line: the engine for scripts and terminals.

mod cli;

fn main() -> std::process::ExitCode {
    cli::main()
}
