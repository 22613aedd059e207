//! The live WebSocket source against real tokio-tungstenite servers on 127.0.0.1: frame order
//! in and out, JSON ping/pong, auth headers and subprotocols, reconnection without loss,
//! commands queued while offline, the frame-size limit, giving up, shutdown, and that the token
//! never shows in anything the source emits. Every wait is bounded so no test can hang.
#![allow(clippy::result_large_err)] // the handshake callback's error type is tungstenite's

use crate::support;

use std::time::Duration;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use futures_util::{SinkExt, StreamExt};
use orchscope::core::link::LinkState;
use orchscope::source::auth::Auth;
use orchscope::source::websocket::{user_message, Command, SourceMsg};
use support::*;
use tokio_tungstenite::tungstenite::handshake::server::{ErrorResponse, Request, Response};
use tokio_tungstenite::tungstenite::http::StatusCode;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::tungstenite::Message;

#[tokio::test]
async fn frames_in_and_out_in_order_and_json_ping_gets_a_pong() {
    let (listener, url) = listener().await;
    let mut client = start(config(&url));
    let mut conn = accept(&listener).await;
    conn.send("a").await;
    conn.send(r#"{"type":"ping"}"#).await;
    conn.ws
        .send(Message::binary(vec![1u8, 2, 3]))
        .await
        .expect("binary");
    conn.send("b").await;
    assert_eq!(conn.recv_text().await, r#"{"type":"pong"}"#);

    let first = client.until(|s| *s == inn("b")).await;
    let hello = user_message("hello", None);
    client.command(Command::Send(hello.clone())).await;
    assert_eq!(conn.recv_text().await, hello);
    conn.send("echo").await;
    let second = client.until(|s| *s == inn("echo")).await;

    let all: Vec<Seen> = first.into_iter().chain(second).collect();
    assert_eq!(
        all,
        vec![
            link(LinkState::Connecting),
            link(LinkState::Connected),
            inn("a"),
            inn(r#"{"type":"ping"}"#),
            out(r#"{"type":"pong"}"#),
            Seen::Bin(vec![1, 2, 3]),
            inn("b"),
            out(&hello),
            inn("echo"),
        ]
    );
    let times: Vec<f64> = client
        .seen
        .iter()
        .map(|m| match m {
            SourceMsg::Frame { t, .. }
            | SourceMsg::Binary { t, .. }
            | SourceMsg::Link { t, .. }
            | SourceMsg::Rtt { t, .. }
            | SourceMsg::Receiver { t, .. } => *t,
        })
        .collect();
    assert!(times.windows(2).all(|w| w[0] <= w[1]), "{times:?}");
    client.task.abort();
}

#[tokio::test]
async fn bearer_token_and_headers_reach_the_server_and_shutdown_closes_normally() {
    let (listener, url) = listener().await;
    let mut cfg = config(&url);
    cfg.auth = Auth {
        token: Some(TOKEN.to_owned()),
        subprotocol_token: false,
        headers: vec![("X-Tenant".to_owned(), "tenant-99".to_owned())],
    };
    let shown = format!("{cfg:?}");
    assert!(
        !shown.contains(TOKEN) && !shown.contains("tenant-99"),
        "{shown}"
    );
    let mut client = start(cfg);
    let mut conn = accept(&listener).await;
    assert_eq!(
        conn.headers["authorization"],
        format!("Bearer {TOKEN}").as_str()
    );
    assert_eq!(conn.headers["x-tenant"], "tenant-99");
    client.until(|s| *s == link(LinkState::Connected)).await;

    client.command(Command::Shutdown).await;
    match bounded("the close frame", conn.ws.next()).await {
        Some(Ok(Message::Close(Some(frame)))) => assert_eq!(frame.code, CloseCode::Normal),
        other => panic!("expected a normal close, got {other:?}"),
    }
    assert_eq!(client.rest().await, vec![link(LinkState::Disconnected)]);
    bounded("the task", client.task).await.expect("task");
    assert_no_secret(&client.seen, &[TOKEN, "tenant-99"]);
}

#[tokio::test]
async fn subprotocol_token_form() {
    let (listener, url) = listener().await;
    let mut cfg = config(&url);
    cfg.auth = Auth {
        token: Some(TOKEN.to_owned()),
        subprotocol_token: true,
        headers: Vec::new(),
    };
    let mut client = start(cfg);
    let mut conn = accept(&listener).await;
    let expected = format!("jwt-auth, jwt.{}", URL_SAFE_NO_PAD.encode(TOKEN));
    assert_eq!(conn.headers["sec-websocket-protocol"], expected.as_str());
    assert!(conn.headers.get("authorization").is_none());
    conn.send("hi").await;
    client.until(|s| *s == inn("hi")).await;
    assert_no_secret(&client.seen, &[TOKEN, &URL_SAFE_NO_PAD.encode(TOKEN)]);
    client.task.abort();
}

#[tokio::test]
async fn a_dropped_connection_reconnects_and_loses_nothing() {
    let (listener, url) = listener().await;
    let mut client = start(config(&url));
    let mut conn = accept(&listener).await;
    conn.send("f1").await;
    conn.send("f2").await;
    conn.ws.flush().await.expect("flush");
    client.until(|s| *s == inn("f2")).await;
    drop(conn); // no close frame: the TCP connection just ends

    let mut conn = accept(&listener).await;
    conn.send("f3").await;
    let seen = client.until(|s| *s == inn("f3")).await;
    assert_eq!(
        seen,
        vec![
            link(LinkState::Disconnected),
            reconnecting(1),
            link(LinkState::Connecting),
            link(LinkState::Connected),
            inn("f3"),
        ]
    );
    let reason = client.seen.iter().find_map(|m| match m {
        SourceMsg::Link {
            state: LinkState::Disconnected,
            reason,
            ..
        } => reason.clone(),
        _ => None,
    });
    assert!(reason.is_some_and(|r| !r.is_empty()));
    client.task.abort();
}

#[tokio::test]
async fn commands_sent_while_disconnected_arrive_after_reconnecting() {
    let (listener, url) = listener().await;
    let mut client = start(config(&url));
    let mut conn = accept(&listener).await;
    conn.send("bye").await;
    conn.ws
        .close(Some(CloseFrame {
            code: CloseCode::Away,
            reason: "restarting".into(),
        }))
        .await
        .expect("close");
    client.until(|s| *s == link(LinkState::Disconnected)).await;
    // The server does not accept again until both are queued: the client is offline.
    client.command(Command::Send("q1".to_owned())).await;
    client.command(Command::Send("q2".to_owned())).await;
    tokio::time::sleep(Duration::from_millis(50)).await;

    let mut conn = accept(&listener).await;
    assert_eq!(conn.recv_text().await, "q1");
    assert_eq!(conn.recv_text().await, "q2");
    let seen = client.until(|s| *s == out("q2")).await;
    assert_eq!(
        &seen[seen.len() - 3..],
        &[link(LinkState::Connected), out("q1"), out("q2")]
    );
    let reason = client.seen.iter().find_map(|m| match m {
        SourceMsg::Link {
            state: LinkState::Disconnected,
            reason,
            ..
        } => reason.clone(),
        _ => None,
    });
    assert_eq!(
        reason.as_deref(),
        Some("closed by the server (1001: restarting)")
    );
    client.task.abort();
}

#[tokio::test]
async fn an_oversize_frame_is_reported_and_the_client_reconnects() {
    let (listener, url) = listener().await;
    let mut cfg = config(&url);
    cfg.max_frame_size = 1024;
    let mut client = start(cfg);
    let mut conn = accept(&listener).await;
    conn.send("before").await;
    let _ = conn.ws.send(Message::text("x".repeat(2000))).await;

    let mut conn2 = accept(&listener).await;
    conn2.send("after").await;
    let seen = client.until(|s| *s == inn("after")).await;
    assert_eq!(
        seen,
        vec![
            link(LinkState::Connecting),
            link(LinkState::Connected),
            inn("before"),
            link(LinkState::Oversize),
            link(LinkState::Disconnected),
            reconnecting(1),
            link(LinkState::Connecting),
            link(LinkState::Connected),
            inn("after"),
        ]
    );
    let size = client.seen.iter().find_map(|m| match m {
        SourceMsg::Link {
            state: LinkState::Oversize,
            size,
            ..
        } => *size,
        _ => None,
    });
    assert_eq!(size, Some(2000));
    drop(conn);
    client.task.abort();
}

#[tokio::test]
async fn without_reconnect_a_drop_gives_up() {
    let (listener, url) = listener().await;
    let mut cfg = config(&url);
    cfg.reconnect = false;
    let mut client = start(cfg);
    let mut conn = accept(&listener).await;
    conn.send("x").await;
    conn.ws.flush().await.expect("flush");
    client.until(|s| *s == inn("x")).await;
    drop(conn);
    assert_eq!(
        client.rest().await,
        vec![link(LinkState::Disconnected), link(LinkState::GaveUp)]
    );
    bounded("the task", client.task).await.expect("task");
}

#[tokio::test]
async fn without_reconnect_a_refused_connection_gives_up() {
    let (listener, url) = listener().await;
    drop(listener);
    let mut cfg = config(&url);
    cfg.reconnect = false;
    let mut client = start(cfg);
    assert_eq!(
        client.rest().await,
        vec![
            link(LinkState::Connecting),
            link(LinkState::Disconnected),
            link(LinkState::GaveUp)
        ]
    );
}

#[tokio::test]
async fn shutdown_while_retrying_returns_promptly() {
    let (listener, url) = listener().await;
    drop(listener);
    let mut client = start(config(&url));
    client.until(|s| *s == reconnecting(2)).await;
    client.command(Command::Shutdown).await;
    client.rest().await;
    bounded("the task", client.task).await.expect("task");
}

#[tokio::test]
async fn websocket_pings_measure_round_trip_time() {
    let (listener, url) = listener().await;
    let mut cfg = config(&url);
    cfg.ping_interval = Duration::from_millis(20);
    let mut client = start(cfg);
    let mut conn = accept(&listener).await;
    // The server must read for the library to answer pings.
    let server = tokio::spawn(async move { while let Some(Ok(_)) = conn.ws.next().await {} });
    let rtt = bounded("an RTT", async {
        loop {
            match client.rx.recv().await {
                Some(SourceMsg::Rtt { ms, .. }) => return ms,
                Some(_) => continue,
                None => panic!("source ended"),
            }
        }
    })
    .await;
    assert!(rtt >= 0.0 && rtt < LIMIT.as_secs_f64() * 1000.0);
    client.task.abort();
    server.abort();
}

#[tokio::test]
async fn the_token_never_shows_even_when_the_server_repeats_it() {
    // The first server refuses the handshake with the token in its body; the second closes
    // with the token in its close reason.
    let (listener, url) = listener().await;
    let mut cfg = config(&url);
    cfg.auth = Auth {
        token: Some(TOKEN.to_owned()),
        subprotocol_token: false,
        headers: Vec::new(),
    };
    let mut client = start(cfg);
    let (tcp, _) = bounded("a connection", listener.accept())
        .await
        .expect("accept");
    let refuse = |_: &Request, _: Response| {
        let mut resp = ErrorResponse::new(Some(format!("bad token {TOKEN}")));
        *resp.status_mut() = StatusCode::UNAUTHORIZED;
        Err(resp)
    };
    assert!(tokio_tungstenite::accept_hdr_async(tcp, refuse)
        .await
        .is_err());
    let mut conn = accept(&listener).await;
    conn.ws
        .close(Some(CloseFrame {
            code: CloseCode::Policy,
            reason: format!("token {TOKEN} expired").into(),
        }))
        .await
        .expect("close");
    // This server completes the close handshake (the other test's server does not).
    bounded("the close reply", async {
        while let Some(Ok(_)) = conn.ws.next().await {}
    })
    .await;
    drop(conn);
    client.until(|s| *s == link(LinkState::Disconnected)).await;
    // A policy close before any frame refuses the credentials: the source gives up with it.
    client.until(|s| *s == link(LinkState::GaveUp)).await;
    let reasons: Vec<String> = client
        .seen
        .iter()
        .filter_map(|m| match m {
            SourceMsg::Link { reason, .. } => reason.clone(),
            _ => None,
        })
        .collect();
    assert!(reasons.iter().any(|r| r.contains("401")), "{reasons:?}");
    assert!(
        reasons.iter().any(|r| r.contains("token •••• expired")),
        "{reasons:?}"
    );
    assert_no_secret(&client.seen, &[TOKEN]);
    client.task.abort();
}

#[tokio::test]
async fn wss_against_a_plain_server_fails_cleanly() {
    let (listener, url) = listener().await;
    let url = url.replacen("ws://", "wss://", 1);
    let mut cfg = config(&url);
    cfg.reconnect = false;
    let mut client = start(cfg);
    // Accept and answer garbage so the TLS handshake fails (or the roots are missing here).
    let server = tokio::spawn(async move {
        if let Ok((mut tcp, _)) = listener.accept().await {
            use tokio::io::AsyncWriteExt;
            let _ = tcp.write_all(b"HTTP/1.1 400 Bad Request\r\n\r\n").await;
        }
    });
    let rest = client.rest().await;
    assert_eq!(rest.last(), Some(&link(LinkState::GaveUp)), "{rest:?}");
    server.abort();
}
