//! The integration tests, one test binary: each file below is a module, and the support
//! modules (loopback servers, the real binary, recording helpers) are shared by all of them.
//! One binary links the crate once instead of once per file.

mod demo_support;
mod e2e_support;
mod export_support;
#[path = "../../fuzz/fuzz_targets/common.rs"]
mod fuzz_common;
mod hostile_support;
mod recording_common;
mod support;

mod bad_input;
mod cli_small;
mod closed_pipe;
mod credentials;
mod deep_chains;
mod demo_faults;
mod demo_server;
mod diff;
mod e2e_faults;
mod e2e_live;
mod export;
mod finding_codes;
mod follow;
mod follow_foreign;
mod follow_tmux;
mod foreign_socket;
mod frame_numbers;
mod fuzz_corpus;
mod give_up;
mod hostile_text;
mod import;
mod import_summary;
mod junit;
mod link_why;
mod live_clock;
mod live_failures;
mod live_flood;
mod live_recording;
mod marks_shared;
mod marks_tmux;
mod otlp_open;
mod otlp_receiver;
mod output_files;
mod producers;
mod properties;
mod recording;
mod recording_damage;
mod recording_marks;
mod recording_robustness;
mod recordings;
mod replay_against;
mod report;
mod rule_crash;
mod scenarios;
mod serve_door;
mod server_text;
mod sessions;
mod settings_paths;
mod story_view;
mod theme_contrast;
mod tui_payloads;
mod tui_runs;
mod tui_tmux;
mod websocket_client;
