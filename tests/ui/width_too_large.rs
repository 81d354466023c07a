use strata::Layer;

#[derive(Layer)]
#[layer(filter = "demo")]
pub struct Demo {
    #[pdl(bits = 12)]
    kind: u8,
    #[pdl(bits = 4)]
    rest: u8,
}

fn main() {}
