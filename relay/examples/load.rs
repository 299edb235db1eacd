//! Load generator for a running relay, over loopback only.
//!
//! It measures three things and prints them:
//! 1. idle WebSockets held: opens `--idle` sockets (Hello both ways), holds
//!    them `--hold-secs`, then pings each and counts those still open;
//! 2. appends per second: `--dossiers` dossiers with `--subscribers` each
//!    (separate connections), appended to by `--appenders` connections
//!    that keep `--window` appends in flight, for `--seconds`;
//! 3. fan-out latency p50/p99, from Append sent to Blob received at every
//!    subscriber: under that full load, and again at a paced `--rate`.
//!
//! Connections come from several source addresses in 127.0.0.0/8 (up to
//! `--per-source` each), so the relay's default limit of connections per
//! IP does not refuse them. Every loop is bounded in count and time.
//!
//! Run the relay and the generator as separate processes (each needs its
//! own open files), with release builds:
//!
//! ```sh
//! cargo build -p driehoek-relay --profile relay --bins --examples
//! target/relay/driehoek-relay --listen 127.0.0.1:9300 --data-dir /tmp/relay-load &
//! target/relay/examples/load --relay 127.0.0.1:9300 --relay-pid $!
//! ```
//!
//! (`cargo run -p driehoek-relay --profile relay -- --listen ...` and
//! `cargo run -p driehoek-relay --profile relay --example load -- --relay ...`
//! do the same.)

use std::{
    net::{IpAddr, Ipv4Addr, SocketAddr},
    sync::{
        Arc,
        atomic::{AtomicU64, Ordering},
    },
    time::{Duration, Instant, SystemTime, UNIX_EPOCH},
};

use clap::Parser;
use driehoek_relay::wire::Message;
use driehoek_wire::{
    keys::DossierId,
    message::{AppendId, Token},
};
use futures_util::{SinkExt, StreamExt, stream};
use tokio::{
    net::{TcpSocket, TcpStream},
    sync::{Semaphore, watch},
};
use tokio_tungstenite::{WebSocketStream, tungstenite::Message as WsMessage};

/// The longest any single network wait may take.
const WAIT: Duration = Duration::from_secs(10);
/// Connections opened at once.
const CONNECT_CONCURRENCY: usize = 256;
/// Bytes of each appended blob (a typical small change).
const BLOB_SIZE: usize = 256;

#[derive(Parser, Debug)]
#[command(about = "Load generator for the Driehoek relay (loopback only)")]
struct Args {
    /// The relay's address; must be a loopback address.
    #[arg(long, default_value = "127.0.0.1:9300")]
    relay: SocketAddr,
    /// The relay's process id, to report its memory.
    #[arg(long)]
    relay_pid: Option<u32>,
    #[arg(long, default_value_t = 10_000)]
    idle: usize,
    #[arg(long, default_value_t = 5)]
    hold_secs: u64,
    #[arg(long, default_value_t = 100)]
    dossiers: usize,
    #[arg(long, default_value_t = 3)]
    subscribers: usize,
    #[arg(long, default_value_t = 10)]
    appenders: usize,
    #[arg(long, default_value_t = 64)]
    window: usize,
    #[arg(long, default_value_t = 5)]
    seconds: u64,
    /// Appends per second in the paced latency phase.
    #[arg(long, default_value_t = 1000)]
    rate: u64,
    /// Connections per source address.
    #[arg(long, default_value_t = 200)]
    per_source: usize,
}

type Socket = WebSocketStream<TcpStream>;

/// Source addresses 127.0.1.1, 127.0.1.2, ... in turn.
struct Sources {
    per_source: usize,
    next: AtomicU64,
}

impl Sources {
    fn next(&self) -> IpAddr {
        let n = self.next.fetch_add(1, Ordering::Relaxed) / self.per_source.max(1) as u64;
        let n = n % (250 * 250);
        IpAddr::V4(Ipv4Addr::new(127, 1, (n / 250) as u8, (n % 250) as u8 + 1))
    }
}

async fn connect(relay: SocketAddr, source: IpAddr) -> Result<Socket, String> {
    let attempt = async {
        let socket = TcpSocket::new_v4().map_err(|e| e.to_string())?;
        socket
            .bind(SocketAddr::new(source, 0))
            .map_err(|e| format!("bind {source}: {e}"))?;
        let stream = socket.connect(relay).await.map_err(|e| e.to_string())?;
        let (mut ws, _) = tokio_tungstenite::client_async(format!("ws://{relay}/sync"), stream)
            .await
            .map_err(|e| e.to_string())?;
        match ws.next().await {
            Some(Ok(WsMessage::Binary(bytes))) => match Message::decode(&bytes) {
                Some(Message::Hello { .. }) => {}
                other => return Err(format!("expected hello, got {other:?}")),
            },
            other => return Err(format!("expected hello, got {other:?}")),
        }
        let hello = Message::hello(None);
        ws.send(WsMessage::Binary(hello.encode().into()))
            .await
            .map_err(|e| e.to_string())?;
        Ok(ws)
    };
    tokio::time::timeout(WAIT, attempt)
        .await
        .map_err(|_| "connect timed out".to_string())?
}

async fn connect_many(relay: SocketAddr, sources: &Sources, count: usize) -> (Vec<Socket>, usize) {
    let results: Vec<Result<Socket, String>> = stream::iter(0..count)
        .map(|_| connect(relay, sources.next()))
        .buffer_unordered(CONNECT_CONCURRENCY)
        .collect()
        .await;
    let mut sockets = Vec::with_capacity(count);
    let mut failed = 0;
    let mut first_error = None;
    for result in results {
        match result {
            Ok(socket) => sockets.push(socket),
            Err(err) => {
                failed += 1;
                first_error.get_or_insert(err);
            }
        }
    }
    if let Some(err) = first_error {
        println!("  {failed} connections failed, first: {err}");
    }
    (sockets, failed)
}

fn rss_of(pid: Option<u32>) -> String {
    let Some(pid) = pid else {
        return "n/a".into();
    };
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find(|line| line.starts_with("VmRSS:"))
                .map(|line| line.trim_start_matches("VmRSS:").trim().to_owned())
        })
        .unwrap_or_else(|| "n/a".into())
}

async fn idle_phase(args: &Args, sources: &Sources) {
    println!(
        "idle: opening {} websockets (relay rss before: {})",
        args.idle,
        rss_of(args.relay_pid)
    );
    let started = Instant::now();
    let (sockets, _) = connect_many(args.relay, sources, args.idle).await;
    println!(
        "  opened {} in {:.1} s; holding {} s",
        sockets.len(),
        started.elapsed().as_secs_f64(),
        args.hold_secs
    );
    tokio::time::sleep(Duration::from_secs(args.hold_secs)).await;
    let rss = rss_of(args.relay_pid);
    let alive: Vec<bool> = stream::iter(sockets)
        .map(|mut socket| async move {
            let ping = async {
                socket.send(WsMessage::Ping(b"?".to_vec().into())).await?;
                loop {
                    match socket.next().await {
                        Some(Ok(WsMessage::Pong(_))) => return Ok(true),
                        Some(Ok(_)) => continue,
                        Some(Err(err)) => return Err(err),
                        None => return Ok(false),
                    }
                }
            };
            let alive = matches!(tokio::time::timeout(WAIT, ping).await, Ok(Ok(true)));
            let _ = tokio::time::timeout(Duration::from_secs(1), socket.close(None)).await;
            alive
        })
        .buffer_unordered(CONNECT_CONCURRENCY)
        .collect()
        .await;
    let open = alive.iter().filter(|alive| **alive).count();
    println!(
        "  still open after {} s: {open} of {}; relay rss while holding: {rss}",
        args.hold_secs, args.idle
    );
}

fn now_nanos(start: Instant) -> u64 {
    u64::try_from(start.elapsed().as_nanos()).unwrap_or(u64::MAX)
}

/// A blob that carries its phase and send time.
fn blob(phase: u8, start: Instant) -> Vec<u8> {
    let mut bytes = vec![0u8; BLOB_SIZE];
    bytes[0] = phase;
    bytes[1..9].copy_from_slice(&now_nanos(start).to_be_bytes());
    bytes
}

#[derive(Default)]
struct Delivered {
    /// Latencies in microseconds, per phase (1: full load, 2: paced).
    latencies: [Vec<u64>; 3],
    hints: u64,
    dropped: bool,
}

async fn subscriber(
    mut socket: Socket,
    dossier: DossierId,
    token: Token,
    start: Instant,
    mut stop: watch::Receiver<bool>,
) -> Delivered {
    let mut delivered = Delivered::default();
    let subscribe = Message::Subscribe {
        dossier,
        token,
        after_seq: 0,
    };
    if socket
        .send(WsMessage::Binary(subscribe.encode().into()))
        .await
        .is_err()
    {
        delivered.dropped = true;
        return delivered;
    }
    // Bounded: the whole run plus a drain.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(600);
    loop {
        let frame = tokio::select! {
            frame = tokio::time::timeout_at(deadline, socket.next()) => frame,
            true = async { stop.wait_for(|stop| *stop).await.is_ok() } => {
                // Drain what is still on its way, briefly.
                match tokio::time::timeout(Duration::from_millis(500), socket.next()).await {
                    Ok(frame) => Ok(frame),
                    Err(_) => break,
                }
            }
        };
        let Ok(Some(Ok(frame))) = frame else {
            delivered.dropped = !*stop.borrow();
            break;
        };
        let WsMessage::Binary(bytes) = frame else {
            continue;
        };
        match Message::decode(&bytes) {
            Some(Message::Blob { bytes, .. }) if bytes.len() >= 9 => {
                let sent = u64::from_be_bytes(bytes[1..9].try_into().unwrap_or_default());
                let micros = now_nanos(start).saturating_sub(sent) / 1000;
                if let Some(bucket) = delivered.latencies.get_mut(usize::from(bytes[0])) {
                    bucket.push(micros);
                }
            }
            Some(Message::CompactHint { .. }) => delivered.hints += 1,
            Some(Message::Error { .. }) => {
                delivered.dropped = true;
                break;
            }
            _ => {}
        }
    }
    delivered
}

struct Appender {
    sink: futures_util::stream::SplitSink<Socket, WsMessage>,
    stream: futures_util::stream::SplitStream<Socket>,
    dossiers: Vec<(DossierId, Token)>,
    index: usize,
}

/// Appends round-robin over its dossiers with `window` in flight, until
/// `until`, or paced at `interval` when given. Answers the acks received.
async fn append_for(
    appender: Appender,
    phase: u8,
    start: Instant,
    window: usize,
    until: Instant,
    interval: Option<Duration>,
    counter: Arc<AtomicU64>,
) -> (Appender, u64) {
    let Appender {
        mut sink,
        mut stream,
        dossiers,
        index,
    } = appender;
    let permits = Arc::new(Semaphore::new(window.max(1)));
    let sent = Arc::new(AtomicU64::new(0));
    let sending = {
        let permits = Arc::clone(&permits);
        let sent = Arc::clone(&sent);
        let dossiers = dossiers.clone();
        async move {
            let mut ticks = interval.map(tokio::time::interval);
            let mut n = 0usize;
            while Instant::now() < until {
                if let Some(ticks) = ticks.as_mut() {
                    ticks.tick().await;
                }
                let Ok(permit) = tokio::time::timeout(WAIT, permits.acquire()).await else {
                    break;
                };
                let Ok(permit) = permit else { break };
                permit.forget();
                let Some((dossier, token)) = dossiers.get(n % dossiers.len().max(1)).cloned()
                else {
                    break;
                };
                let mut id = [0u8; 16];
                id[..8].copy_from_slice(&counter.fetch_add(1, Ordering::Relaxed).to_be_bytes());
                id[8..12].copy_from_slice(&(index as u32).to_be_bytes());
                let append = Message::Append {
                    dossier,
                    token,
                    id: AppendId(id),
                    bytes: blob(phase, start),
                };
                if sink
                    .send(WsMessage::Binary(append.encode().into()))
                    .await
                    .is_err()
                {
                    break;
                }
                sent.fetch_add(1, Ordering::Relaxed);
                n += 1;
            }
            sink
        }
    };
    let receiving = async {
        let mut acked = 0u64;
        // Acks until everything sent is answered (or a wait runs out).
        loop {
            let frame = match tokio::time::timeout(WAIT, stream.next()).await {
                Ok(Some(Ok(frame))) => frame,
                _ => break,
            };
            if let WsMessage::Binary(bytes) = frame {
                match Message::decode(&bytes) {
                    Some(Message::Ack { .. }) => {
                        acked += 1;
                        permits.add_permits(1);
                    }
                    Some(Message::Error { code, message, .. }) => {
                        println!("  appender {index}: error {code:?}: {message}");
                    }
                    _ => {}
                }
            }
            if Instant::now() >= until && acked >= sent.load(Ordering::Relaxed) {
                break;
            }
        }
        acked
    };
    let (sink, acked) = tokio::join!(sending, receiving);
    (
        Appender {
            sink,
            stream,
            dossiers,
            index,
        },
        acked,
    )
}

fn percentile(sorted: &[u64], p: f64) -> u64 {
    if sorted.is_empty() {
        return 0;
    }
    let rank = ((sorted.len() - 1) as f64 * p).round() as usize;
    sorted[rank.min(sorted.len() - 1)]
}

fn report_latency(label: &str, mut micros: Vec<u64>) {
    micros.sort_unstable();
    println!(
        "  fan-out latency {label}: {} deliveries, p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        micros.len(),
        percentile(&micros, 0.50) as f64 / 1000.0,
        percentile(&micros, 0.99) as f64 / 1000.0,
        micros.last().copied().unwrap_or(0) as f64 / 1000.0
    );
}

async fn sync_phases(args: &Args, sources: &Sources) {
    let start = Instant::now();
    let run = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |t| t.as_nanos() as u64);
    let dossiers: Vec<(DossierId, Token)> = (0..args.dossiers)
        .map(|i| {
            let mut id = [0u8; 16];
            id[..8].copy_from_slice(&run.to_be_bytes());
            id[8..16].copy_from_slice(&(i as u64).to_be_bytes());
            let mut token = [0u8; 32];
            token[..16].copy_from_slice(&id);
            token[16] = 0x5a;
            (DossierId::from_bytes(id), Token(token))
        })
        .collect();
    println!(
        "sync: {} dossiers x {} subscribers, {} appenders with {} in flight each",
        args.dossiers, args.subscribers, args.appenders, args.window
    );
    let (subscriber_sockets, _) =
        connect_many(args.relay, sources, args.dossiers * args.subscribers).await;
    let (stop, stopped) = watch::channel(false);
    let mut subscribers = Vec::new();
    for (n, socket) in subscriber_sockets.into_iter().enumerate() {
        let Some((dossier, token)) = dossiers.get(n % dossiers.len().max(1)).cloned() else {
            break;
        };
        subscribers.push(tokio::spawn(subscriber(
            socket,
            dossier,
            token,
            start,
            stopped.clone(),
        )));
    }
    let (appender_sockets, _) = connect_many(args.relay, sources, args.appenders).await;
    let mut appenders: Vec<Appender> = appender_sockets
        .into_iter()
        .enumerate()
        .map(|(index, socket)| {
            let (sink, stream) = socket.split();
            Appender {
                sink,
                stream,
                dossiers: dossiers
                    .iter()
                    .skip(index)
                    .step_by(args.appenders.max(1))
                    .cloned()
                    .collect(),
                index,
            }
        })
        .collect();
    appenders.retain(|appender| !appender.dossiers.is_empty());
    // Let the subscriptions settle before measuring.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let counter = Arc::new(AtomicU64::new(run));

    for (phase, label) in [(1u8, "full load"), (2u8, "paced")] {
        let (window, interval) = if phase == 1 {
            (args.window, None)
        } else {
            let per_appender = (args.rate / appenders.len().max(1) as u64).max(1);
            (
                args.window,
                Some(Duration::from_nanos(1_000_000_000 / per_appender)),
            )
        };
        let began = Instant::now();
        let until = began + Duration::from_secs(args.seconds);
        let runs: Vec<_> = appenders
            .drain(..)
            .map(|appender| {
                tokio::spawn(append_for(
                    appender,
                    phase,
                    start,
                    window,
                    until,
                    interval,
                    Arc::clone(&counter),
                ))
            })
            .collect();
        let mut acked = 0;
        for run in runs {
            if let Ok((appender, count)) = run.await {
                acked += count;
                appenders.push(appender);
            }
        }
        let elapsed = began.elapsed().as_secs_f64();
        println!(
            "  {label}: {acked} appends acked in {elapsed:.2} s = {:.0} appends/s",
            acked as f64 / elapsed
        );
        // Room between phases for pushes still on their way.
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    stop.send_replace(true);
    let mut latencies: [Vec<u64>; 3] = Default::default();
    let (mut hints, mut dropped) = (0, 0);
    for subscriber in subscribers {
        if let Ok(Ok(delivered)) = tokio::time::timeout(WAIT, subscriber).await {
            for (all, some) in latencies.iter_mut().zip(delivered.latencies) {
                all.extend(some);
            }
            hints += delivered.hints;
            dropped += usize::from(delivered.dropped);
        }
    }
    let [_, full, paced] = latencies;
    report_latency("at full load", full);
    report_latency(&format!("paced at {} appends/s", args.rate), paced);
    println!("  compaction hints received: {hints}; subscribers dropped: {dropped}");
    println!("  relay rss: {}", rss_of(args.relay_pid));
}

#[tokio::main]
async fn main() {
    let args = Args::parse();
    if !args.relay.ip().is_loopback() {
        eprintln!("load: only a relay on a loopback address may be loaded");
        std::process::exit(2);
    }
    match rlimit::increase_nofile_limit(u64::MAX) {
        Ok(limit) => println!("open-file limit of the generator: {limit}"),
        Err(err) => println!("could not raise the open-file limit: {err}"),
    }
    let sources = Sources {
        per_source: args.per_source,
        next: AtomicU64::new(0),
    };
    if args.idle > 0 {
        idle_phase(&args, &sources).await;
        // The relay frees the places of closed sockets shortly after.
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
    if args.dossiers > 0 {
        sync_phases(&args, &sources).await;
    }
}
