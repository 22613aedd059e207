//! The receiver's intake: the one task that owns the held spans. The HTTP and gRPC servers
//! offer it each request's OTLP/JSON text and wait for what it took (so a sender learns of
//! refused spans in the protocol's own partial-success answer); on a tick it hands on every
//! trace that is ready as native frames, records them, and reports what it holds, dropped or
//! got late. At shutdown everything still held is shown as it is.

use std::time::{Duration, Instant};

use opentelemetry_proto::tonic::collector::trace::v1::{
    ExportTracePartialSuccess, ExportTraceServiceResponse,
};
use tokio::net::TcpListener;
use tokio::sync::{mpsc, oneshot};

use super::{grpc, http, ReceiverConfig, TICK};
use crate::core::import::{Holding, LiveSpans, Taken};
use crate::core::link::LinkState;
use crate::source::message::{Report, SourceMsg};
use crate::source::wire::Command;

/// Requests waiting for the intake.
const QUEUE: usize = 64;
/// How long a request may wait for room in the queue before the sender is told to retry.
const OFFER_WAIT: Duration = Duration::from_secs(10);

/// One request's spans offered to the intake, and where to answer.
pub(super) struct Offer {
    json: String,
    reply: oneshot::Sender<Result<Taken, String>>,
}

/// Why an offer was not taken.
pub(super) enum Refused {
    /// Not an export request (the sender's mistake).
    Bad(String),
    /// The intake is full or gone: the sender may retry.
    Busy,
}

/// Offers a request's OTLP/JSON text and waits for what was taken.
pub(super) async fn offer(offers: &mpsc::Sender<Offer>, json: String) -> Result<Taken, Refused> {
    let (reply, answer) = oneshot::channel();
    let sent = tokio::time::timeout(OFFER_WAIT, offers.send(Offer { json, reply })).await;
    if !matches!(sent, Ok(Ok(()))) {
        return Err(Refused::Busy);
    }
    match answer.await {
        Ok(Ok(taken)) => Ok(taken),
        Ok(Err(problem)) => Err(Refused::Bad(problem)),
        Err(_) => Err(Refused::Busy),
    }
}

/// The protocol's answer: spans refused are counted in its partial success.
pub(super) fn response(taken: Taken) -> ExportTraceServiceResponse {
    let rejected = taken.invalid + taken.over_cap;
    ExportTraceServiceResponse {
        partial_success: (rejected > 0).then(|| ExportTracePartialSuccess {
            rejected_spans: i64::try_from(rejected).unwrap_or(i64::MAX),
            error_message: match taken.over_cap {
                0 => "spans without a span id".into(),
                _ => {
                    "the receiver holds as many spans as it may; traces must complete first".into()
                }
            },
        }),
    }
}

/// How many open traces are told (the oldest): what a pane can show.
const OPEN_TOLD: usize = 8;

/// Listens on `listener` and hands on what exporters send, until `Shutdown`.
pub async fn run(
    config: ReceiverConfig,
    listener: TcpListener,
    tx: mpsc::Sender<SourceMsg>,
    mut cmds: mpsc::Receiver<Command>,
) {
    let (offers_tx, mut offers) = mpsc::channel::<Offer>(QUEUE);
    let token = config.token.clone();
    let server = if config.grpc {
        tokio::spawn(grpc::serve(listener, token, offers_tx))
    } else {
        tokio::spawn(http::serve(listener, token, offers_tx))
    };
    let mut intake = Intake {
        live: LiveSpans::new(config.straggler, config.max_quiet, config.max_held),
        max_held: config.max_held,
        held: Holding::default(),
        start: Instant::now(),
        tx,
        config,
    };
    let listening = format!("listening on {}", intake.config.shown_url());
    let _ = intake.link(LinkState::Connected, listening).await;
    let mut tick = tokio::time::interval(TICK);
    loop {
        let going = tokio::select! {
            cmd = cmds.recv() => !matches!(cmd, Some(Command::Shutdown) | None),
            offer = offers.recv() => match offer {
                Some(offer) => intake.take(offer).await,
                None => false,
            },
            _ = tick.tick() => intake.step(false).await,
        };
        if !going {
            break;
        }
    }
    server.abort();
    // What was offered before the end is taken, then everything held is shown.
    offers.close();
    while let Ok(offer) = offers.try_recv() {
        intake.take(offer).await;
    }
    intake.step(true).await;
}

struct Intake {
    live: LiveSpans,
    max_held: usize,
    /// What was last reported held.
    held: Holding,
    start: Instant,
    tx: mpsc::Sender<SourceMsg>,
    config: ReceiverConfig,
}

impl Intake {
    fn now(&self) -> f64 {
        self.start.elapsed().as_secs_f64()
    }

    /// Records and hands on one message; false once nobody listens.
    async fn emit(&self, msg: SourceMsg) -> bool {
        if let Some(r) = &self.config.recorder {
            r.record(&msg);
        }
        if let Some(b) = &self.config.budget {
            b.take(&msg).await;
        }
        self.tx.send(msg).await.is_ok()
    }

    async fn link(&self, state: LinkState, reason: String) -> bool {
        let t = self.now();
        self.emit(SourceMsg::Link {
            t,
            state,
            reason: Some(reason),
            size: None,
        })
        .await
    }

    async fn report(&self, report: Report) -> bool {
        let t = self.now();
        self.emit(SourceMsg::Receiver { t, report }).await
    }

    /// Takes one offered request, answers it, and reports what it refused or got late.
    async fn take(&mut self, offer: Offer) -> bool {
        let taken = self.live.add(&offer.json, self.now());
        let _ = offer.reply.send(taken.clone());
        let Ok(taken) = taken else { return true };
        let mut reports = Vec::new();
        if taken.invalid > 0 {
            reports.push(Report::Dropped {
                spans: taken.invalid as u64,
                reason: "they had no span id".into(),
            });
        }
        if taken.over_cap > 0 {
            reports.push(Report::Dropped {
                spans: taken.over_cap as u64,
                reason: format!(
                    "{} spans were already held waiting for their traces to complete (--max-held-spans)",
                    self.max_held
                ),
            });
        }
        if taken.late > 0 {
            reports.push(Report::Late {
                spans: taken.late as u64,
            });
        }
        for r in reports {
            if !self.report(r).await {
                return false;
            }
        }
        true
    }

    /// Hands on the traces ready (all of them with `all`), then what is still held.
    async fn step(&mut self, all: bool) -> bool {
        let now = self.now();
        let ready = if all {
            self.live.drain()
        } else {
            self.live.due(now)
        };
        for (dir, text) in ready.frames {
            if !self.emit(SourceMsg::Frame { t: now, dir, text }).await {
                return false;
            }
        }
        for problem in ready.problems {
            if !self.report(Report::Problem(problem)).await {
                return false;
            }
        }
        let held = self.live.holding(now, OPEN_TOLD);
        if held != self.held {
            self.held = held.clone();
            return self.report(Report::Held(held)).await;
        }
        true
    }
}
