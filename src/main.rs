//! Process entry: parse the command line and run it.

fn main() -> std::process::ExitCode {
    vpsbox::cli::main()
}
