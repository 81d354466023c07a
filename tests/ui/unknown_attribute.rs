use strata::Layer;

#[derive(Layer)]
#[layer(filter = "demo")]
pub struct Demo {
    #[pdl(colour = "red")]
    kind: u8,
}

fn main() {}
