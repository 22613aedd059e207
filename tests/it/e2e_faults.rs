//! The demo table, end to end: the real binary validates a live demo server over a loopback
//! socket. Every scenario without faults fails no rule; every fault fails exactly the rule
//! demo.md names, and no other.

use crate::e2e_support as e2e;

use orchscope::demo::{Fault, Scenario};

#[test]
fn every_scenario_validates_clean() {
    for scenario in [
        Scenario::Simple,
        Scenario::MlCost,
        Scenario::MultiTurn,
        Scenario::Recovery,
        Scenario::Concurrent,
        Scenario::All,
    ] {
        let url = e2e::server(scenario, &[], None);
        let (report, code, stderr) = e2e::validate_live(&url, scenario, &[]);
        assert_eq!(
            e2e::rules_with(&report, "fail"),
            Vec::<String>::new(),
            "{scenario:?}: {report:#}\n{stderr}"
        );
        assert_eq!(code, 0, "{scenario:?}");
        assert!(
            report["counts"]["runs"].as_u64().unwrap_or(0) >= 1,
            "{scenario:?}"
        );
    }
}

#[test]
fn every_fault_is_caught_by_exactly_its_rule() {
    for fault in Fault::ALL {
        let scenario = fault.host_scenario();
        let url = e2e::server(scenario, &[fault], None);
        let (report, code, stderr) = e2e::validate_live(&url, scenario, &[]);
        assert_eq!(
            e2e::rules_with(&report, "fail"),
            vec![fault.rule().to_string()],
            "{fault:?}: {report:#}\n{stderr}"
        );
        assert_eq!(code, 1, "{fault:?}");
    }
}

#[test]
fn netra_dialects_derive_the_same_tree_as_native() {
    use orchscope::demo::Dialect;
    let mut trees = Vec::new();
    for dialect in [Dialect::Native, Dialect::NetraA, Dialect::NetraB] {
        let url = e2e::server_with(Scenario::MlCost, dialect);
        let file = tempfile::NamedTempFile::new().expect("tmp");
        let path = file.path().to_str().expect("path").to_string();
        // The temporary file exists already: replace it.
        let mut args = vec!["record".to_string(), url, "-o".into(), path.clone()];
        args.push("--force".into());
        args.extend(e2e::sends(Scenario::MlCost));
        args.extend(["--until-idle", "0.5", "--timeout", "60"].map(String::from));
        let out = e2e::run(&args);
        assert!(
            out.status.success(),
            "{dialect:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let out = e2e::run(&["summary".into(), path, "--format".into(), "json".into()]);
        let summary: serde_json::Value = serde_json::from_slice(&out.stdout).expect("summary json");
        let run = &summary["runs"][0];
        let tree: Vec<(String, String)> = run["agents"]
            .as_array()
            .expect("agents")
            .iter()
            .map(|a| {
                let parent = a["parent"]
                    .as_str()
                    .map(|p| p.rsplit('/').next().unwrap_or(p).to_string())
                    .unwrap_or_default();
                (a["name"].as_str().unwrap_or_default().to_string(), parent)
            })
            .collect();
        trees.push((
            dialect,
            tree,
            run["agents"].as_array().map(|a| {
                a.iter()
                    .filter(|x| x["parent_source"] == "inferred")
                    .count()
            }),
        ));
    }
    let native = &trees[0].1;
    assert_eq!(native.len(), 4, "{native:?}");
    for (dialect, tree, _) in &trees[1..] {
        let names: Vec<&str> = tree.iter().map(|(n, _)| n.as_str()).collect();
        let native_names: Vec<&str> = native.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, native_names, "{dialect:?}");
        for ((_, p), (_, q)) in tree.iter().zip(native) {
            assert_eq!(p, q, "{dialect:?} parents differ: {tree:?} vs {native:?}");
        }
    }
    // Native states parents explicitly; Netra era A leaves them to inference.
    assert_eq!(trees[0].2, Some(0));
    assert!(trees[1].2.unwrap_or(0) >= 3, "{:?}", trees[1]);
}

#[test]
fn multi_turn_and_concurrent_play_clean_in_every_dialect() {
    use orchscope::demo::Dialect;
    for dialect in [Dialect::Native, Dialect::NetraA, Dialect::NetraB] {
        // Three turns on one thread: `record` sends each after the previous run completed, and
        // stops because every run its messages own completed (not at the time-out).
        let url = e2e::server_with(Scenario::MultiTurn, dialect);
        let file = tempfile::NamedTempFile::new().expect("tmp");
        let path = file.path().to_str().expect("path").to_string();
        // The temporary file exists already: replace it.
        let mut args = vec!["record".to_string(), url, "-o".into(), path.clone()];
        args.push("--force".into());
        args.extend(e2e::sends(Scenario::MultiTurn));
        args.extend(["--until-idle", "0.5", "--timeout", "60"].map(String::from));
        let out = e2e::run(&args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{dialect:?}: {stderr}");
        assert!(
            stderr.contains("all runs completed"),
            "{dialect:?}: {stderr}"
        );
        let out = e2e::run(&["summary".into(), path, "--format".into(), "json".into()]);
        let summary: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
        assert_eq!(
            summary["runs"].as_array().map(Vec::len),
            Some(3),
            "{dialect:?}"
        );
        assert_eq!(
            summary["turns"].as_array().map(Vec::len),
            Some(3),
            "{dialect:?}"
        );
        // Three users' runs at once, without threads in Netra era A: no false failure.
        let url = e2e::server_with(Scenario::Concurrent, dialect);
        let (report, code, stderr) = e2e::validate_live(&url, Scenario::Concurrent, &[]);
        assert_eq!(
            e2e::rules_with(&report, "fail"),
            Vec::<String>::new(),
            "{dialect:?}: {report:#}\n{stderr}"
        );
        assert_eq!(code, 0, "{dialect:?}");
    }
}
