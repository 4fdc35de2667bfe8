//! The `tnproof` binary: a thin shell over the library (see `cli`).

mod cli;

fn main() -> std::process::ExitCode {
    // Rust ignores SIGPIPE, so printing into a closed pipe (`tnproof check ... | head`) would
    // panic; restore the Unix default, under which the program ends quietly.
    #[cfg(unix)]
    // SAFETY: setting a signal's disposition to the default before any thread starts.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    cli::main()
}
