use strata::Layer;

#[derive(Layer)]
#[layer(filter = "demo")]
pub struct Demo {
    #[pdl(label = "Kind", label = "Type")]
    kind: u8,
}

fn main() {}
