//! The `tradewind` command line: the engine for scripts and terminals.

mod cli;

/// Faster than the system's for the many small strings an import reads (Cargo.toml says
/// by how much).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    cli::main()
}
