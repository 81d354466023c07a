//! Compiles `../protocols/*.pdl` into `$OUT_DIR/protocols.rs` (prost-build style).

fn main() {
    if let Err(e) = strata_compiler::build::Config::new()
        .protocols_dir("../protocols")
        .out_file("protocols.rs")
        .compile()
    {
        eprintln!("{e}");
        std::process::exit(1);
    }
}
