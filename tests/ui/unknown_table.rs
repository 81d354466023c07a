use strata::Layer;

#[derive(Layer)]
#[layer(filter = "demo", bind = "udp.prot[9999]")]
pub struct Demo {
    kind: u8,
}

fn main() {}
