//! The scripted scenarios (demo.md, "Scenarios"): each is a short script of agents, tools,
//! timings (scenario ms at speed 1) and seeded results, written with `Script`'s vocabulary.
//! The supervisor's final answer cites every sub-agent's result; each script returns the
//! answer that its thread's history records.

use serde_json::json;

use super::script::{Outcome, Script};

pub const SIMPLE_PROMPT: &str = "What is our current monthly cloud spend?";
pub const ML_COST_PROMPT: &str =
    "Analyze our ML training infrastructure costs and optimize for 40% reduction";
pub const MULTI_TURN_PROMPTS: [&str; 3] = [
    "Analyze our Kubernetes costs",
    "Add PCI-DSS compliance constraints to the recommendations",
    "Now give me a migration plan",
];
pub const RECOVERY_PROMPT: &str = "Build a GPU spend report from ClickHouse and the billing export";
pub const CONCURRENT_PROMPTS: [&str; 3] = [
    "Forecast next quarter's GPU spend",
    "Find idle resources in the staging cluster",
    "Compare reserved and on-demand pricing for our databases",
];

pub fn simple(s: &mut Script) -> String {
    let a = "assistant";
    s.start(a, None);
    s.wait(300, 700);
    s.think(a, "Looking up this month's invoice", 1, 2);
    s.wait(200, 500);
    let spend = s.pick(46, 54);
    s.tool(
        a,
        "query_billing",
        json!({"month": "current"}),
        800,
        2000,
        Outcome::Ok(json!({"total": format!("${spend}.2K")})),
    );
    s.wait(200, 500);
    s.think(a, "Formatting the answer", 2, 2);
    s.wait(300, 700);
    let answer = format!("Your current monthly cloud spend is ${spend}.2K.");
    s.conclude(a, json!({"final_answer": answer}), &answer);
    answer
}

pub fn ml_cost(s: &mut Script) -> String {
    let sup = "supervisor";
    s.start(sup, None);
    s.wait(300, 700);
    s.think(
        sup,
        "Routing the cost request: triage, then data, then optimization",
        1,
        4,
    );
    s.wait(400, 800);
    let triage = ml_cost_triage(s, sup);
    s.wait(300, 600);
    s.think(sup, "Asking data for spend and utilisation", 2, 4);
    s.wait(300, 600);
    let (data, util) = ml_cost_data(s, sup);
    s.wait(300, 600);
    s.think(sup, "Asking optimization for a plan", 3, 4);
    s.wait(300, 600);
    let (opt, saving) = ml_cost_optimization(s, sup, util);
    s.wait(300, 600);
    s.think(
        sup,
        "Synthesising the plan from triage, data and optimization",
        4,
        4,
    );
    s.wait(600, 1200);
    let answer =
        format!("A {saving}% reduction plan. Triage: {triage}. Data: {data}. Optimization: {opt}.");
    s.conclude(
        sup,
        json!({"final_answer": answer,
                "sources": {"triage": triage, "data": data, "optimization": opt}}),
        &answer,
    );
    answer
}

/// Triage classifies the request; returns its summary.
fn ml_cost_triage(s: &mut Script, sup: &str) -> String {
    s.start("triage", Some(sup));
    s.wait(200, 500);
    s.think(
        "triage",
        "Classifying the request and its constraints",
        1,
        1,
    );
    s.wait(200, 500);
    s.tool(
        "triage",
        "classify_intent",
        json!({"text": ML_COST_PROMPT}),
        600,
        1400,
        Outcome::Ok(json!({"intent": "cost_optimization", "target": "40%"})),
    );
    s.wait(200, 400);
    let triage = "cost optimization with a 40% reduction target".to_string();
    s.complete("triage", json!({"summary": triage}));
    triage
}

/// Data pulls spend and utilisation; returns its summary and the utilisation.
fn ml_cost_data(s: &mut Script, sup: &str) -> (String, i64) {
    s.start("data", Some(sup));
    s.wait(200, 500);
    s.think("data", "Pulling 30 days of GPU spend", 1, 2);
    s.wait(200, 400);
    s.tool(
        "data",
        "query_cost_metrics",
        json!({"window": "30d", "group_by": "instance_type"}),
        1500,
        3000,
        Outcome::Ok(json!({"monthly_spend": "$50K", "gpu_share": "78%"})),
    );
    s.wait(200, 500);
    s.think("data", "Joining spend with utilisation", 2, 2);
    s.wait(200, 400);
    let util = s.pick(55, 68);
    s.tool(
        "data",
        "get_utilization_metrics",
        json!({"window": "30d", "resource": "gpu"}),
        1500,
        3000,
        Outcome::Ok(json!({"avg_gpu_utilisation": format!("{util}%")})),
    );
    s.wait(200, 400);
    let data = format!("$50K/month, 78% on 20 GPU instances at {util}% average utilisation");
    s.complete("data", json!({"summary": data}));
    (data, util)
}

/// Optimization right-sizes and moves jobs to spot; returns its summary and the saving.
fn ml_cost_optimization(s: &mut Script, sup: &str, util: i64) -> (String, i64) {
    s.start("optimization", Some(sup));
    s.wait(200, 500);
    s.think("optimization", "Sizing instances against utilisation", 1, 2);
    s.wait(200, 400);
    let nodes = s.pick(5, 8);
    s.tool(
        "optimization",
        "rightsizing_analysis",
        json!({"instances": 20, "utilisation": util}),
        1200,
        2500,
        Outcome::Ok(json!({"rightsize": nodes})),
    );
    s.wait(200, 400);
    let spot = s.pick(65, 75);
    s.tool(
        "optimization",
        "spot_pricing",
        json!({"jobs": 150, "region": "us-east-1"}),
        1000,
        2200,
        Outcome::Ok(json!({"spot_eligible": format!("{spot}%")})),
    );
    s.wait(200, 400);
    s.think(
        "optimization",
        "Combining rightsizing and spot savings",
        2,
        2,
    );
    s.wait(300, 600);
    let saving = s.pick(41, 46);
    let opt =
        format!("right-size {nodes} instances and move {spot}% of jobs to spot: {saving}% saving");
    s.complete("optimization", json!({"summary": opt}));
    (opt, saving)
}

pub fn multi_turn(
    s: &mut Script,
    prompt: &str,
    first: (&str, &str),
    second: (&str, &str),
) -> String {
    let sup = "supervisor";
    s.start(sup, None);
    s.wait(300, 700);
    s.think(
        sup,
        &format!("Delegating to {} and {}", first.0, second.0),
        1,
        3,
    );
    let mut cites = Vec::new();
    for (i, (agent, tool)) in [first, second].into_iter().enumerate() {
        s.wait(300, 700);
        s.start(agent, Some(sup));
        s.wait(200, 500);
        s.think(agent, &format!("Working on: {prompt}"), 1, 1);
        s.wait(200, 400);
        let n = s.pick(3, 12);
        s.tool(
            agent,
            tool,
            json!({"cluster": "prod-eks", "step": i + 1}),
            1200,
            3000,
            Outcome::Ok(json!({"findings": n})),
        );
        s.wait(200, 500);
        let summary = format!("{agent}: {n} findings from {tool}");
        s.complete(agent, json!({"summary": summary}));
        cites.push(summary);
        s.wait(200, 500);
        s.think(sup, &format!("{agent} reported back"), i as u32 + 2, 3);
    }
    s.wait(600, 1200);
    let answer = format!("{prompt}: {}", cites.join("; "));
    s.conclude(sup, json!({"final_answer": answer}), &answer);
    answer
}

pub fn recovery(s: &mut Script, recover: bool) -> String {
    let sup = "supervisor";
    s.start(sup, None);
    s.wait(300, 700);
    s.think(
        sup,
        "Gathering spend from both sources, then optimising",
        1,
        3,
    );
    s.wait(300, 700);
    let data = recovery_data(s, sup, recover);
    s.wait(300, 600);
    s.think(sup, "Asking optimization for a plan", 2, 3);
    s.wait(300, 600);
    let opt = recovery_optimization(s, sup, recover);
    // The report holds what is available: both summaries, partial or failed.
    let answer = format!("Partial GPU spend report. Data: {data}. Optimization: {opt}.");
    s.wait(300, 600);
    s.think(sup, "Writing the report with what is available", 3, 3);
    s.wait(600, 1200);
    s.conclude(sup, json!({"final_answer": answer}), &answer);
    answer
}

/// Data's first query times out (retried with a smaller window when it recovers) and the
/// billing export is denied; returns its partial summary.
fn recovery_data(s: &mut Script, sup: &str, recover: bool) -> String {
    s.start("data", Some(sup));
    s.wait(200, 500);
    s.think("data", "Pulling 30 days of GPU spend", 1, 3);
    s.wait(200, 400);
    s.tool(
        "data",
        "query_gpu_spend",
        json!({"window": "30d"}),
        4800,
        5200,
        Outcome::Failed("ClickHouse timeout after 5.0s"),
    );
    s.wait(200, 400);
    let spend = if recover {
        s.think("data", "Retrying with a smaller window", 2, 3);
        s.wait(200, 400);
        let a100 = s.pick(16, 20);
        s.tool(
            "data",
            "query_gpu_spend",
            json!({"window": "7d"}),
            1200,
            2200,
            Outcome::Ok(json!({"gpus": format!("{a100} x A100")})),
        );
        format!("{a100} x A100 from ClickHouse")
    } else {
        "no ClickHouse data".to_string()
    };
    s.wait(200, 400);
    s.tool(
        "data",
        "query_billing_export",
        json!({"bucket": "billing-exports"}),
        1000,
        2000,
        Outcome::Failed("billing export bucket access denied"),
    );
    s.wait(200, 400);
    s.think("data", "Continuing without the billing export", 3, 3);
    s.wait(200, 400);
    let data = format!("{spend}; billing export unavailable");
    s.complete("data", json!({"summary": data, "partial": true}));
    data
}

/// Optimization's model call times out; it falls back to a heuristic when it recovers, else
/// fails. Returns its summary.
fn recovery_optimization(s: &mut Script, sup: &str, recover: bool) -> String {
    s.start("optimization", Some(sup));
    s.wait(200, 500);
    s.think("optimization", "Modelling spot and reserved mixes", 1, 1);
    s.wait(2500, 3500);
    s.error("optimization", "LLM call timed out", "TimeoutError");
    s.wait(200, 400);
    if !recover {
        s.complete(
            "optimization",
            json!({"status": "failed", "error": "LLM call timed out"}),
        );
        return "no optimization plan".to_string();
    }
    s.fallback("optimization", "optimization is using a heuristic plan");
    s.wait(400, 800);
    let opt = "heuristic plan: move batch training to spot".to_string();
    s.complete(
        "optimization",
        json!({"summary": opt, "fallback_used": true}),
    );
    opt
}

pub fn concurrent_member(s: &mut Script, prompt: &str, i: usize) -> String {
    let sup = "supervisor";
    s.start(sup, None);
    s.wait(300, 700);
    s.think(
        sup,
        "Splitting the work between data and optimization",
        1,
        2,
    );
    let mut cites = Vec::new();
    for (agent, tool) in [
        ("data", "query_cost_metrics"),
        ("optimization", "pricing_model"),
    ] {
        s.wait(300, 600);
        s.start(agent, Some(sup));
        s.wait(200, 500);
        s.think(agent, &format!("Working on: {prompt}"), 1, 1);
        s.wait(200, 400);
        let n = s.pick(2, 9);
        s.tool(
            agent,
            tool,
            json!({"team": i + 1}),
            1000,
            2500,
            Outcome::Ok(json!({"items": n})),
        );
        s.wait(200, 400);
        let summary = format!("{agent}: {n} items from {tool}");
        s.complete(agent, json!({"summary": summary}));
        cites.push(summary);
    }
    s.wait(300, 600);
    s.think(sup, "Combining the results", 2, 2);
    s.wait(500, 1000);
    let answer = format!("{prompt}: {}", cites.join("; "));
    s.conclude(sup, json!({"final_answer": answer}), &answer);
    answer
}
