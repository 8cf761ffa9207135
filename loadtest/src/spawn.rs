//! Starting `pt-server` for a run, finding its address, reading its memory,
//! and stopping it gracefully.

use anyhow::{Context, bail};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

/// How long a spawned server may take to print its address (migrations included).
const START_TIMEOUT: Duration = Duration::from_secs(60);
/// How long a graceful stop may take (it flushes every studio first).
const STOP_TIMEOUT: Duration = Duration::from_secs(60);

/// Flags that turn pt-server's rate limits off: every simulated scheduler
/// comes from 127.0.0.1 with its studio owner's token, a WebSocket upgrade
/// counts as a request, and every studio signs up once.
pub const RELAXED_LIMITS: [&str; 6] =
    ["--rate-limit-per-second", "0", "--user-rate-limit-per-second", "0", "--auth-rate-limit-per-minute", "0"];

/// The access-token signing secret of the servers this process spawns.
fn jwt_secret() -> &'static str {
    static SECRET: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    SECRET.get_or_init(|| format!("{}{}", uuid::Uuid::new_v4().simple(), uuid::Uuid::new_v4().simple()))
}

pub struct SpawnedServer {
    child: tokio::process::Child,
    pub base: String,
    pub pid: u32,
    pub log: PathBuf,
}

/// Starts `bin` on a free port over `database_url` (or an embedded store in
/// `data_dir`), logging to `log`, and waits for `listening on http://…`.
pub async fn spawn(
    bin: &Path,
    database_url: Option<&str>,
    data_dir: Option<&Path>,
    extra_args: &[String],
    log: &Path,
) -> anyhow::Result<SpawnedServer> {
    let log_file = std::fs::File::create(log).with_context(|| format!("cannot create {}", log.display()))?;
    let mut cmd = tokio::process::Command::new(bin);
    cmd.arg("--listen").arg("127.0.0.1:0").args(RELAXED_LIMITS);
    match (database_url, data_dir) {
        (Some(url), _) => {
            cmd.arg("--database-url").arg(url);
        }
        (None, Some(dir)) => {
            cmd.env_remove("DATABASE_URL").arg("--data-dir").arg(dir);
        }
        (None, None) => bail!("a spawned server needs --database-url (or --data-dir)"),
    }
    cmd.args(extra_args)
        // One signing secret for every server this harness starts, so the
        // studios' tokens outlive a restart (`--kill-server-at`, `--activation-memory`).
        .env("PT_JWT_SECRET", jwt_secret())
        .env("PT_LOG_FORMAT", "text")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(log_file)
        .kill_on_drop(true);
    let mut child = cmd.spawn().with_context(|| format!("cannot start {}", bin.display()))?;
    let pid = child.id().context("the server exited at once")?;
    let deadline = tokio::time::Instant::now() + START_TIMEOUT;
    loop {
        let text = std::fs::read_to_string(log).unwrap_or_default();
        if let Some(at) = text.find("listening on http://") {
            let rest = &text[at + "listening on ".len()..];
            let base: String = rest.chars().take_while(|c| !c.is_whitespace() && *c != '"').collect();
            return Ok(SpawnedServer { child, base, pid, log: log.to_path_buf() });
        }
        if let Some(status) = child.try_wait()? {
            bail!("pt-server exited ({status}) before listening; its log:\n{}", tail(&text, 40));
        }
        if tokio::time::Instant::now() > deadline {
            bail!("pt-server did not print its address within {START_TIMEOUT:?}; its log:\n{}", tail(&text, 40));
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

impl SpawnedServer {
    /// SIGKILL, as a crash would: nothing is flushed. Waits for the exit.
    pub async fn kill(&mut self) -> anyhow::Result<()> {
        self.child.start_kill().context("cannot SIGKILL the server")?;
        self.child.wait().await.context("the killed server was not reaped")?;
        Ok(())
    }

    /// SIGTERM, then wait for the graceful exit (which flushes every studio).
    pub async fn stop(mut self) -> anyhow::Result<()> {
        // SAFETY: sending a signal to our own child's pid.
        unsafe {
            libc::kill(self.pid as i32, libc::SIGTERM);
        }
        match tokio::time::timeout(STOP_TIMEOUT, self.child.wait()).await {
            Ok(Ok(status)) if status.success() => Ok(()),
            Ok(Ok(status)) => {
                let text = std::fs::read_to_string(&self.log).unwrap_or_default();
                bail!("pt-server exited with {status}; its log:\n{}", tail(&text, 40))
            }
            Ok(Err(e)) => Err(e.into()),
            Err(_) => {
                let _ = self.child.kill().await;
                bail!("pt-server did not stop within {STOP_TIMEOUT:?}")
            }
        }
    }
}

/// The last `n` lines of a text.
pub fn tail(text: &str, n: usize) -> String {
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(n)..].join("\n")
}

/// Resident memory of a process in KiB (`VmRSS` in `/proc/<pid>/status`).
pub fn rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
}

/// CPU time (user + system) a process has used so far, in seconds.
pub fn cpu_seconds(pid: u32) -> Option<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // Fields after the command name (which may contain spaces) start after ")".
    let rest = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks: f64 = fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
    // SAFETY: sysconf has no preconditions.
    let hz = unsafe { libc::sysconf(libc::_SC_CLK_TCK) } as f64;
    Some(ticks / hz.max(1.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_our_own_memory_and_cpu() {
        let me = std::process::id();
        assert!(rss_kib(me).unwrap() > 0);
        assert!(cpu_seconds(me).unwrap() >= 0.0);
        assert_eq!(tail("a\nb\nc", 2), "b\nc");
    }
}
