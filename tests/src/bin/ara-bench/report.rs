//! The table the bench prints: each figure with its baseline from the same
//! run, the ratio, and whether the target is met.

use std::time::Duration;

pub struct Row {
    pub scenario: String,
    pub figure: String,
    pub baseline_name: String,
    pub baseline: String,
    pub ratio: String,
    pub target: String,
}

pub struct Report {
    rows: Vec<Row>,
    notes: Vec<String>,
    quick: bool,
    /// `/proc/loadavg` when the run started: the machine is shared.
    load_at_start: String,
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".into())
}

pub fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

pub fn mib(bytes: u64) -> String {
    format!("{:.1} MiB", bytes as f64 / f64::from(1 << 20))
}

pub fn kib(bytes: u64) -> String {
    format!("{:.1} KiB", bytes as f64 / 1024.0)
}

pub fn ratio(a: f64, b: f64) -> String {
    if b == 0.0 {
        "n/a".into()
    } else {
        format!("{:.2}×", a / b)
    }
}

impl Report {
    pub fn new(quick: bool) -> Self {
        Self {
            rows: Vec::new(),
            notes: Vec::new(),
            quick,
            load_at_start: load_average(),
        }
    }

    pub fn row(
        &mut self,
        scenario: &str,
        figure: String,
        baseline_name: &str,
        baseline: String,
        ratio: String,
        target: &str,
    ) {
        eprintln!(
            "  {scenario}: {figure} (baseline {baseline_name}: {baseline}; {ratio}) {target}"
        );
        self.rows.push(Row {
            scenario: scenario.into(),
            figure,
            baseline_name: baseline_name.into(),
            baseline,
            ratio,
            target: target.into(),
        });
    }

    pub fn note(&mut self, note: String) {
        eprintln!("  note: {note}");
        self.notes.push(note);
    }

    pub fn print(&self) {
        println!();
        if self.quick {
            println!("(--quick: smaller stores and shorter runs; not the published figures)\n");
        }
        println!("| scenario | figure | baseline (same run) | baseline value | ratio | target |");
        println!("|---|---|---|---|---|---|");
        for r in &self.rows {
            println!(
                "| {} | {} | {} | {} | {} | {} |",
                r.scenario, r.figure, r.baseline_name, r.baseline, r.ratio, r.target
            );
        }
        if !self.notes.is_empty() {
            println!();
            for n in &self.notes {
                println!("- {n}");
            }
        }
        println!();
        println!(
            "machine: {} cores, {}, {}; load average (1, 5, 15 min) {} at the start, {} at the end",
            std::thread::available_parallelism().map_or(0, |n| n.get()),
            mem_total(),
            cpu_model(),
            self.load_at_start,
            load_average()
        );
    }
}

fn cpu_model() -> String {
    std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|t| {
            t.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|m| m.trim().to_owned())
        })
        .unwrap_or_else(|| "unknown CPU".into())
}

fn mem_total() -> String {
    std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|t| {
            let kb: u64 = t.lines().next()?.split_whitespace().nth(1)?.parse().ok()?;
            Some(format!("{:.0} GiB RAM", kb as f64 / 1024.0 / 1024.0))
        })
        .unwrap_or_else(|| "unknown RAM".into())
}

/// Percentile of sorted samples.
pub fn percentile(sorted: &[u32], p: f64) -> u32 {
    if sorted.is_empty() {
        return 0;
    }
    let rank = ((p / 100.0) * (sorted.len() - 1) as f64).round() as usize;
    sorted[rank.min(sorted.len() - 1)]
}
