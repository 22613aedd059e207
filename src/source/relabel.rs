//! The byte stream under the WebSocket library, which relabels every text message as binary on
//! its way in and remembers, in order, which messages were text. The library rejects a text
//! message whose bytes are not UTF-8 and ends the connection, losing the frame and whatever
//! followed it; seen as binary, every message arrives with its bytes, and the client checks the
//! UTF-8 of those that were text itself (keeping a bad one as bytes and reporting it). Only the
//! opcode bit of each message's first frame header is changed: lengths, continuation frames,
//! control frames and everything written pass through untouched. The HTTP handshake before the
//! first frame is passed through as it is.

use std::collections::VecDeque;
use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

const TEXT: u8 = 0x1;
const BINARY: u8 = 0x2;

/// Where the reader is in the incoming bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum At {
    /// In the HTTP response; `matched` bytes of "\r\n\r\n" seen so far.
    Handshake { matched: u8 },
    /// In a frame header, `have` of its bytes seen.
    Header { have: usize },
    /// In a frame payload, this many bytes left.
    Payload(u64),
}

/// A stream whose incoming text messages read as binary ones; [`Relabel::was_text`] says, in
/// message order, which were text.
#[derive(Debug)]
pub struct Relabel<S> {
    inner: S,
    at: At,
    header: [u8; 14],
    /// One entry per data message whose first frame has been read: true when it was text.
    kinds: VecDeque<bool>,
}

impl<S> Relabel<S> {
    pub fn new(inner: S) -> Self {
        Relabel {
            inner,
            at: At::Handshake { matched: 0 },
            header: [0; 14],
            kinds: VecDeque::new(),
        }
    }

    /// Whether the oldest data message not yet asked about was sent as text (`false` when there
    /// is none, which cannot happen for a message the library has handed on).
    pub fn was_text(&mut self) -> bool {
        self.kinds.pop_front().unwrap_or(false)
    }

    /// Looks at (and relabels) bytes just read, in place.
    fn scan(&mut self, bytes: &mut [u8]) {
        let mut i = 0;
        while i < bytes.len() {
            match self.at {
                At::Handshake { matched } => {
                    let want = b"\r\n\r\n"[matched as usize];
                    let matched = match bytes[i] {
                        b if b == want => matched + 1,
                        b'\r' => 1,
                        _ => 0,
                    };
                    i += 1;
                    self.at = if matched == 4 {
                        At::Header { have: 0 }
                    } else {
                        At::Handshake { matched }
                    };
                }
                At::Header { have } => {
                    if have == 0 {
                        self.first_header_byte(&mut bytes[i]);
                    }
                    self.header[have] = bytes[i];
                    i += 1;
                    self.at = match header_len(&self.header[..have + 1]) {
                        Some(len) if len == have + 1 => match payload_len(&self.header[..len]) {
                            0 => At::Header { have: 0 },
                            n => At::Payload(n),
                        },
                        _ => At::Header { have: have + 1 },
                    };
                }
                At::Payload(left) => {
                    let take = left.min((bytes.len() - i) as u64);
                    i += take as usize;
                    self.at = match left - take {
                        0 => At::Header { have: 0 },
                        n => At::Payload(n),
                    };
                }
            }
        }
    }

    /// Notes the kind of a message's first frame and relabels text as binary.
    fn first_header_byte(&mut self, byte: &mut u8) {
        match *byte & 0x0f {
            TEXT => {
                *byte = (*byte & 0xf0) | BINARY;
                self.kinds.push_back(true);
            }
            BINARY => self.kinds.push_back(false),
            _ => {}
        }
    }
}

/// The whole header's length once its first two bytes are known.
fn header_len(seen: &[u8]) -> Option<usize> {
    let second = *seen.get(1)?;
    let extended = match second & 0x7f {
        126 => 2,
        127 => 8,
        _ => 0,
    };
    let mask = if second & 0x80 != 0 { 4 } else { 0 };
    Some(2 + extended + mask)
}

/// The payload length a whole header declares.
fn payload_len(header: &[u8]) -> u64 {
    match header[1] & 0x7f {
        126 => u64::from(u16::from_be_bytes([header[2], header[3]])),
        127 => header[2..10]
            .iter()
            .fold(0u64, |n, &b| (n << 8) | u64::from(b)),
        n => u64::from(n),
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for Relabel<S> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        let this = &mut *self;
        let polled = Pin::new(&mut this.inner).poll_read(cx, buf);
        if let Poll::Ready(Ok(())) = polled {
            this.scan(&mut buf.filled_mut()[before..]);
        }
        polled
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for Relabel<S> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(first: u8, payload: &[u8]) -> Vec<u8> {
        let n = payload.len() as u64;
        let len = match n {
            0..126 => vec![n as u8],
            126..65536 => [&[126u8][..], &(n as u16).to_be_bytes()].concat(),
            _ => [&[127u8][..], &n.to_be_bytes()].concat(),
        };
        [&[first][..], &len, payload].concat()
    }

    /// Scans `bytes` in pieces of `step` bytes, as reads of any size would give them.
    fn scanned(bytes: &[u8], step: usize) -> (Vec<u8>, Vec<bool>) {
        let mut r = Relabel::new(());
        let mut out = bytes.to_vec();
        for piece in out.chunks_mut(step) {
            r.scan(piece);
        }
        (out, r.kinds.into_iter().collect())
    }

    #[test]
    fn text_becomes_binary_and_everything_else_passes() {
        let http = b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n".to_vec();
        let big = vec![b'\x81'; 70_000];
        let close = 1000u16.to_be_bytes();
        // (first header byte sent, as read, payload): text in two fragments with a ping
        // between, a binary, text with a 16-bit and a 64-bit length, a close.
        let frames: [(u8, u8, &[u8]); 7] = [
            (0x01, 0x02, b"frag one "),
            (0x89, 0x89, b"ping"),
            (0x80, 0x80, b"\xff end"),
            (0x82, 0x82, b"\x81\x81"),
            (0x81, 0x82, &[b'x'; 300]),
            (0x81, 0x82, &big),
            (0x88, 0x88, &close),
        ];
        let (mut wire, mut want) = (http.clone(), http);
        for (sent, read, payload) in frames {
            wire.extend(frame(sent, payload));
            want.extend(frame(read, payload));
        }
        for step in [1, 2, 3, 7, 64, 4096, wire.len()] {
            let (out, kinds) = scanned(&wire, step);
            assert!(out == want, "step {step}");
            assert_eq!(kinds, [true, false, true, true], "step {step}");
        }
    }

    #[test]
    fn the_handshake_is_never_changed() {
        // "\r\n\r" then a byte that looks like a text frame header, inside the headers.
        let http = b"HTTP/1.1 101 OK\r\nX: \r\n\r\x81\r\n\r\n";
        let (out, kinds) = scanned(http, 1);
        assert_eq!(out, http);
        assert!(kinds.is_empty());
    }
}
