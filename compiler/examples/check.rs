fn main() {
    let paths: Vec<std::path::PathBuf> = std::env::args().skip(1).map(Into::into).collect();
    let c = strata_compiler::compile_files(&paths).unwrap();
    match &c.result {
        Ok(s) => {
            println!("ok: {} structs", s.structs.len());
            let code = strata_compiler::rust::generate(s, &Default::default());
            std::fs::write("/tmp/gen.rs", code).unwrap();
        }
        Err(_) => print!("{}", c.render()),
    }
}
