//! The binary's contract without a server: help, and exit status 2 when a run
//! cannot be carried out (the smoke script relies on 0/1/2).

use std::process::Command;

fn loadtest() -> Command {
    Command::new(env!("CARGO_BIN_EXE_pt-loadtest"))
}

#[test]
fn help_explains_the_options() {
    let out = loadtest().arg("--help").output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    for flag in ["--scenario", "--url", "--spawn-server", "--database-url", "--server-pid", "--report", "--baseline"] {
        assert!(text.contains(flag), "--help does not mention {flag}");
    }
}

#[test]
fn an_unreachable_server_exits_2() {
    // Port 9 (discard) on loopback: nothing listens there.
    let out = loadtest()
        .args(["--url", "http://127.0.0.1:9", "--clients", "1", "--writers", "0", "--no-progress", "--duration", "1"])
        .env_remove("PT_LOADTEST_DATABASE_URL")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn a_bad_scenario_exits_2_and_names_the_problem() {
    let dir = std::env::temp_dir().join(format!("pt-loadtest-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("bad.toml");
    std::fs::write(&path, "clients = 0\n").unwrap();
    let out = loadtest().args(["--url", "http://127.0.0.1:9", "-s"]).arg(&path).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("client"));
    let _ = std::fs::remove_dir_all(&dir);
}
