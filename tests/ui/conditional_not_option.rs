use strata::Layer;

#[derive(Layer)]
#[layer(filter = "demo")]
pub struct Demo {
    kind: u8,
    #[pdl(when = "kind == 1")]
    cookie: u32,
}

fn main() {}
