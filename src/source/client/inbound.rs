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
            Message::Text(text) => {
                let text = text.as_str().to_owned();
                let ping = is_json_ping(&text);
                self.frame(Dir::In, text).await?;
                if ping {
                    ws.send(Message::text(PONG))
                        .await
                        .map_err(|e| Halt::Dropped(describe(&e)))?;
                    self.frame(Dir::Out, PONG.to_owned()).await?;
                }
            }
            Message::Binary(bytes) => {
                self.emit(SourceMsg::Binary {
                    t: self.t(),
                    dir: Dir::In,
                    bytes: bytes.to_vec(),
                })
                .await?;
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
                        format!("closed by the server (code {})", u16::from(f.code))
                    }
                    Some(f) => format!(
                        "closed by the server (code {}: {})",
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

    /// Turns a read error into the drop it causes, reporting an oversize frame first.
    pub(super) async fn on_error(&mut self, error: WsError) -> Result<Halt, Halt> {
        if let WsError::Capacity(CapacityError::MessageTooLong { size, max_size }) = error {
            let reason = format!("frame of {size} bytes exceeds the limit of {max_size} bytes");
            self.link(
                LinkEvent::Oversize,
                Some(reason.clone()),
                u64::try_from(size).ok(),
            )
            .await?;
            return Ok(Halt::Dropped(reason));
        }
        Ok(Halt::Dropped(describe(&error)))
    }
}
