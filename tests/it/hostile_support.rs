//! A hostile WebSocket server for the live-path tests, on 127.0.0.1 with plain threads and
//! blocking sockets, so every byte it hands the kernel is counted exactly. Behaviours: flood
//! fixed-size text frames as fast as the client lets it; drop every connection right after the
//! handshake; close with 1008 before any frame; send text frames that are not UTF-8.
#![allow(dead_code)]

use std::io::{Read as _, Write as _};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// What the server does with each connection.
#[derive(Debug, Clone, Copy)]
pub enum Behaviour {
    /// Text frames of exactly `frame_len` bytes on the wire, numbered from 1, without end.
    Flood { frame_len: usize },
    /// Handshake, then close the TCP connection at once.
    DropEvery,
    /// Handshake, then a close frame 1008 "policy" before any frame.
    Close1008,
    /// One valid frame, one text frame holding invalid UTF-8, one valid frame, then idle.
    BadUtf8,
}

/// A running hostile server.
pub struct Hostile {
    pub addr: SocketAddr,
    /// Bytes of frames the kernel accepted from the server (after each handshake).
    pub written: Arc<AtomicU64>,
    /// Connections accepted (handshakes completed).
    pub connections: Arc<AtomicU64>,
    /// The peer address of the latest connection.
    pub peer: Arc<Mutex<Option<SocketAddr>>>,
}

impl Hostile {
    pub fn url(&self) -> String {
        format!("ws://{}/ws", self.addr)
    }
}

/// Starts the server on a free port; it lives until the test process ends.
pub fn start(behaviour: Behaviour) -> Hostile {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr");
    let written = Arc::new(AtomicU64::new(0));
    let connections = Arc::new(AtomicU64::new(0));
    let peer = Arc::new(Mutex::new(None));
    let (w, c, p) = (written.clone(), connections.clone(), peer.clone());
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { continue };
            let (w, c, p) = (w.clone(), c.clone(), p.clone());
            std::thread::spawn(move || {
                let Some(tcp) = handshake(stream) else { return };
                c.fetch_add(1, Ordering::SeqCst);
                *p.lock().expect("peer") = tcp.peer_addr().ok();
                serve(tcp, behaviour, &w);
            });
        }
    });
    Hostile {
        addr,
        written,
        connections,
        peer,
    }
}

/// Completes the server handshake and hands back the raw socket.
fn handshake(stream: TcpStream) -> Option<TcpStream> {
    let tcp = stream.try_clone().ok()?;
    let ws = tokio_tungstenite::tungstenite::accept(stream).ok()?;
    // The handshake is complete; frames are written raw on the clone from here on.
    drop(ws);
    Some(tcp)
}

/// An unmasked server frame.
pub fn frame(opcode: u8, payload: &[u8]) -> Vec<u8> {
    let mut out = vec![0x80 | opcode];
    match payload.len() {
        n if n < 126 => out.push(n as u8),
        n if n < 65536 => {
            out.push(126);
            out.extend_from_slice(&(n as u16).to_be_bytes());
        }
        n => {
            out.push(127);
            out.extend_from_slice(&(n as u64).to_be_bytes());
        }
    }
    out.extend_from_slice(payload);
    out
}

/// The payload of flood frame `seq`, padded so the whole frame is `frame_len` bytes.
pub fn flood_payload(seq: u64, frame_len: usize) -> Vec<u8> {
    let head = format!(
        r#"{{"type":"agent_thinking","payload":{{"run_id":"flood","agent_name":"a","seq":{seq:>12},"pad":""#
    );
    let header = if frame_len - 4 < 126 { 2 } else { 4 };
    let pad = frame_len - header - head.len() - 3;
    let mut p = head.into_bytes();
    p.extend(std::iter::repeat_n(b'x', pad));
    p.extend_from_slice(b"\"}}");
    p
}

fn serve(mut tcp: TcpStream, behaviour: Behaviour, written: &AtomicU64) {
    match behaviour {
        Behaviour::Flood { frame_len } => {
            for seq in 1.. {
                let bytes = frame(0x1, &flood_payload(seq, frame_len));
                let mut at = 0;
                while at < bytes.len() {
                    match tcp.write(&bytes[at..]) {
                        Ok(0) | Err(_) => return,
                        Ok(n) => {
                            at += n;
                            written.fetch_add(n as u64, Ordering::SeqCst);
                        }
                    }
                }
            }
        }
        Behaviour::DropEvery => {}
        Behaviour::Close1008 => {
            let mut payload = 1008u16.to_be_bytes().to_vec();
            payload.extend_from_slice(b"policy says no");
            let _ = tcp.write_all(&frame(0x8, &payload));
            linger(&mut tcp);
        }
        Behaviour::BadUtf8 => {
            let _ = tcp.write_all(&frame(
                0x1,
                br#"{"type":"agent_started","payload":{"n":1}}"#,
            ));
            let _ = tcp.write_all(&frame(0x1, b"{\"type\":\"x\",\"v\":\"\xff\xfe bad\"}"));
            let _ = tcp.write_all(&frame(
                0x1,
                br#"{"type":"agent_started","payload":{"n":2}}"#,
            ));
            linger(&mut tcp);
        }
    }
}

/// Reads (and ignores) what the client sends until it goes away, at most a minute.
fn linger(tcp: &mut TcpStream) {
    let _ = tcp.set_read_timeout(Some(Duration::from_secs(60)));
    let mut buf = [0u8; 4096];
    while matches!(tcp.read(&mut buf), Ok(n) if n > 0) {}
}

/// `(tx_queue, rx_queue)` of the loopback TCP socket from `local` to `remote`, from
/// /proc/net/tcp: bytes sent and not yet acknowledged, bytes received and not yet read.
pub fn tcp_queues(local: SocketAddr, remote: SocketAddr) -> Option<(u64, u64)> {
    let table = std::fs::read_to_string("/proc/net/tcp").ok()?;
    let hex = |a: SocketAddr| match a {
        SocketAddr::V4(v4) => format!(
            "{:08X}:{:04X}",
            u32::from_le_bytes(v4.ip().octets()),
            v4.port()
        ),
        SocketAddr::V6(_) => String::new(),
    };
    let (l, r) = (hex(local), hex(remote));
    table.lines().skip(1).find_map(|line| {
        let f: Vec<&str> = line.split_whitespace().collect();
        if f.len() > 4 && f[1] == l && f[2] == r {
            let (tx, rx) = f[4].split_once(':')?;
            Some((
                u64::from_str_radix(tx, 16).ok()?,
                u64::from_str_radix(rx, 16).ok()?,
            ))
        } else {
            None
        }
    })
}
