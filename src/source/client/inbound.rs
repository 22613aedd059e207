//! What the client does with what arrives: every message is emitted first, then answered (a
//! JSON `ping` gets a `pong`, a WebSocket pong gives the round-trip time, a close frame ends the
//! session), and a transport error becomes the reason the link dropped (oversize included).

use super::*;

impl Source {
    /// Handles one received message: emit first, then react. Returns a close reason when the
    /// server sent a close frame.
    pub(super) async fn on_message(
        &mut self,
        ws: &mut Ws,
        msg: Message,
        ping_out: &mut Option<(u64, Instant)>,
    ) -> Result<Option<String>, Halt> {
        match msg {
            Message::Text(_) | Message::Binary(_) => {
                let Some(data) = self.data(ws, msg) else {
                    return Ok(None);
                };
                let ping = matches!(&data, SourceMsg::Frame { text, .. } if is_json_ping(text));
                self.emit(data).await?;
                if ping {
                    ws.send(Message::text(PONG))
                        .await
                        .map_err(|e| Halt::Dropped(describe(&e)))?;
                    self.frame(Dir::Out, PONG.to_owned()).await?;
                }
            }
            Message::Pong(payload) => {
                if let (Some((seq, sent)), Ok(bytes)) = (*ping_out, <[u8; 8]>::try_from(&*payload))
                {
                    if u64::from_be_bytes(bytes) == seq {
                        *ping_out = None;
                        let ms = sent.elapsed().as_secs_f64() * 1000.0;
                        self.emit(SourceMsg::Rtt { t: self.t(), ms }).await?;
                    }
                }
            }
            // tungstenite queues the pong itself and sends it with the next read or write.
            Message::Ping(_) | Message::Frame(_) => {}
            Message::Close(frame) => {
                let reason = match frame {
                    Some(f) if f.reason.is_empty() => {
                        format!("closed by the server ({})", u16::from(f.code))
                    }
                    Some(f) => format!(
                        "closed by the server ({}: {})",
                        u16::from(f.code),
                        f.reason.as_str()
                    ),
                    None => "closed by the server".to_owned(),
                };
                return Ok(Some(reason));
            }
        }
        Ok(None)
    }

    /// What a received data message is: a text frame (a text message, or a binary one that
    /// the stream relabelled from text and whose bytes are UTF-8) or a binary frame (a binary
    /// message, or a relabelled text one whose bytes are not UTF-8, kept as they came and
    /// marked). Other messages are not data.
    pub(super) fn data(&self, ws: &mut Ws, msg: Message) -> Option<SourceMsg> {
        let t = self.t();
        let dir = Dir::In;
        let bytes = match msg {
            Message::Text(text) => {
                let text = text.as_str().to_owned();
                return Some(SourceMsg::Frame { t, dir, text });
            }
            Message::Binary(bytes) => bytes,
            _ => return None,
        };
        if !ws.get_mut().was_text() {
            let bytes = bytes.to_vec();
            let invalid_utf8 = None;
            return Some(SourceMsg::Binary {
                t,
                dir,
                bytes,
                invalid_utf8,
            });
        }
        Some(match String::from_utf8(bytes.to_vec()) {
            Ok(text) => SourceMsg::Frame { t, dir, text },
            Err(e) => SourceMsg::Binary {
                t,
                dir,
                invalid_utf8: Some(e.utf8_error().valid_up_to() as u64),
                bytes: e.into_bytes(),
            },
        })
    }

    /// Turns a read error into the drop it causes, reporting an oversize frame first.
    pub(super) async fn on_error(&mut self, error: WsError) -> Result<Halt, Halt> {
        if let WsError::Capacity(CapacityError::MessageTooLong { size, max_size }) = error {
            let reason = format!("frame of {size} bytes exceeds the limit of {max_size} bytes");
            self.link(
                LinkState::Oversize,
                Some(reason.clone()),
                u64::try_from(size).ok(),
            )
            .await?;
            return Ok(Halt::Dropped(reason));
        }
        Ok(Halt::Dropped(describe(&error)))
    }
}
