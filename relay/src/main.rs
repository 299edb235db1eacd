use clap::Parser;
use driehoek_relay::{Config, run};

#[tokio::main]
async fn main() {
    let config = Config::parse();
    driehoek_relay::init_logging();
    if let Err(err) = run(config).await {
        // One line, so that a script starting the relay shows the reason.
        eprintln!("driehoek-relay: {err}");
        std::process::exit(1);
    }
}
