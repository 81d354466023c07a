fn main() {
    println!(
        "AnyLayer {}",
        std::mem::size_of::<strata::protocols::AnyLayer>()
    );
    println!("Layer {}", std::mem::size_of::<strata::dissect::Layer>());
    println!(
        "Dissection {}",
        std::mem::size_of::<strata::dissect::Dissection>()
    );
    println!("Error {}", std::mem::size_of::<strata::Error>());
}
