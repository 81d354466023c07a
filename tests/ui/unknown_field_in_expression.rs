use strata::Layer;

#[derive(Layer)]
#[layer(filter = "demo")]
pub struct Demo {
    kind: u8,
    #[pdl(size = "lenght")]
    data: Vec<u8>,
}

fn main() {}
