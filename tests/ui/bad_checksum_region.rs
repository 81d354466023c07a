use strata::Layer;

#[derive(Layer)]
#[layer(filter = "demo")]
pub struct Demo {
    #[pdl(checksum = "internet16, trailer")]
    checksum: u16,
}

fn main() {}
