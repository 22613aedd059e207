//! Dialing one connection: TCP to the request's host (an IPv6 literal without its brackets),
//! TLS for wss:// with our rustls configuration, then the WebSocket handshake over the stream
//! that relabels incoming text as binary, so a text frame that is not UTF-8 reaches us whole.

use super::*;

/// Opens TCP (and TLS for `tls`) to the request's host and shakes hands, with the stream that
/// relabels incoming text as binary in between (so a text frame that is not UTF-8 is kept).
pub(super) async fn open(
    request: Request,
    tls: Option<Arc<rustls::ClientConfig>>,
    config: WebSocketConfig,
) -> Result<Ws, WsError> {
    let uri = request.uri();
    let host = uri.host().ok_or(WsError::Url(UrlError::NoHostName))?;
    // An IPv6 literal without its brackets, for both the socket and TLS.
    let host = host
        .trim_start_matches('[')
        .trim_end_matches(']')
        .to_owned();
    let port = uri
        .port_u16()
        .unwrap_or(if tls.is_some() { 443 } else { 80 });
    let tcp = TcpStream::connect((host.as_str(), port)).await?;
    tcp.set_nodelay(true)?;
    let stream = match tls {
        Some(config) => {
            let name = rustls::pki_types::ServerName::try_from(host).map_err(|_| {
                WsError::Tls(tokio_tungstenite::tungstenite::error::TlsError::InvalidDnsName)
            })?;
            let tls = tokio_rustls::TlsConnector::from(config)
                .connect(name, tcp)
                .await?;
            MaybeTlsStream::Rustls(tls)
        }
        None => MaybeTlsStream::Plain(tcp),
    };
    let (ws, _response) =
        tokio_tungstenite::client_async_with_config(request, Relabel::new(stream), Some(config))
            .await?;
    Ok(ws)
}
