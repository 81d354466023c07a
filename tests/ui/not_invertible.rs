use strata::Layer;

#[derive(Layer)]
#[layer(filter = "demo")]
pub struct Demo {
    #[pdl(derive = "64 - sizeof(self)")]
    len: u16,
}

fn main() {}
