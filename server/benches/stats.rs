//! Latency statistics shared by the bench binaries.

#![allow(dead_code)]

use std::time::Duration;

/// Percentile `p` (0–100) of a set of durations, in milliseconds.
pub fn pct(samples: &[Duration], p: f64) -> f64 {
    if samples.is_empty() {
        return f64::NAN;
    }
    let mut v: Vec<Duration> = samples.to_vec();
    v.sort();
    let i = ((p / 100.0) * (v.len() - 1) as f64).round() as usize;
    v[i].as_secs_f64() * 1000.0
}

/// Resident memory of a process in MiB (from /proc).
pub fn rss_mib(pid: u32) -> f64 {
    status_mib(pid, "VmRSS:")
}

/// The part of a process's resident memory that is file-backed (the binary's pages and
/// memory-mapped database files), in MiB.
pub fn file_rss_mib(pid: u32) -> f64 {
    status_mib(pid, "RssFile:")
}

fn status_mib(pid: u32, field: &str) -> f64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with(field))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|kb| kb.parse::<f64>().ok())
        .map(|kb| kb / 1024.0)
        .unwrap_or(f64::NAN)
}

/// CPU time (user + system) this process has used so far, from /proc/self/stat.
pub fn process_cpu() -> Duration {
    stat_cpu(&std::fs::read_to_string("/proc/self/stat").unwrap_or_default())
}

/// CPU time (user + system) used so far by this process's threads whose name starts with
/// one of `prefixes` (Linux truncates thread names to 15 bytes), from
/// /proc/self/task/*/stat. Threads that already ended are not counted.
pub fn threads_cpu(prefixes: &[&str]) -> Duration {
    let Ok(tasks) = std::fs::read_dir("/proc/self/task") else {
        return Duration::ZERO;
    };
    tasks
        .flatten()
        .filter(|t| {
            let name = std::fs::read_to_string(t.path().join("comm")).unwrap_or_default();
            prefixes.iter().any(|p| name.starts_with(p))
        })
        .map(|t| stat_cpu(&std::fs::read_to_string(t.path().join("stat")).unwrap_or_default()))
        .sum()
}

/// utime + stime of a /proc `stat` line.
fn stat_cpu(stat: &str) -> Duration {
    // Fields after the parenthesised command name: state is field 3; utime, stime are 14, 15.
    let after = stat.rsplit_once(')').map(|(_, r)| r).unwrap_or_default();
    let fields: Vec<&str> = after.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|v| v.parse::<u64>().ok())
            .unwrap_or(0)
    };
    // utime and stime are fields 14 and 15, i.e. indexes 11 and 12 after the name.
    let hz = 100; // USER_HZ on Linux
    Duration::from_millis((ticks(11) + ticks(12)) * 1000 / hz)
}
