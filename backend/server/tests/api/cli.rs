//! The `mrdp` binary itself: start-up output, signals, subcommands, configuration errors.

use crate::child_output::{ChildOutput, START_LIMIT};
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

const MRDP: &str = env!("CARGO_BIN_EXE_mrdp");

/// `mrdp` with a clean environment: no configuration leaks in from the developer's shell.
pub fn mrdp(data_dir: &Path) -> Command {
    let mut command = Command::new(MRDP);
    command
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default());
    command.arg("--data-dir").arg(data_dir);
    command
}

pub fn stderr_of(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Reads `mrdp: <service> <url>` lines until `mrdp: ready`; returns the portal URL.
fn wait_until_ready(child: &mut Child) -> String {
    ChildOutput::of(child)
        .service_urls()
        .into_iter()
        .find_map(|(service, url)| (service == "portal").then_some(url))
        .expect("the portal URL is printed before ready")
}

fn wait_for_exit(child: &mut Child, limit: Duration) -> std::process::ExitStatus {
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        assert!(
            started.elapsed() < limit,
            "mrdp did not exit within {limit:?}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// `mrdp all` on free ports, its stdout piped (logs dropped).
fn spawn_all(data_dir: &Path, dist_dir: &Path) -> Child {
    mrdp(data_dir)
        .args(["all", "--port-base", "0"])
        .env("MRDP_DIST_DIR", dist_dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

#[test]
fn mrdp_all_serves_every_service_and_stops_cleanly_on_sigterm() {
    let data = tempfile::tempdir().unwrap();
    let data_dir = data.path().join("var");
    let mut child = spawn_all(&data_dir, data.path());
    let portal = wait_until_ready(&mut child);
    assert!(portal.starts_with("http://127.0.0.1:"), "{portal}");

    let health = mrdp(&data_dir)
        .args(["healthcheck", "--url", &portal])
        .output()
        .unwrap();
    assert!(health.status.success(), "{}", stderr_of(&health));
    let report: serde_json::Value = serde_json::from_slice(&health.stdout).unwrap();
    assert_eq!(report["status"], "ok");
    assert_eq!(report["services"].as_array().unwrap().len(), 5);

    // First run created the data directory, private, with one database per service.
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(&data_dir).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o700);
    for schema in ["portal", "idp", "transfer", "graph"] {
        assert!(
            data_dir
                .join("db")
                .join(format!("{schema}.sqlite"))
                .is_file(),
            "{schema}"
        );
    }

    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let status = wait_for_exit(&mut child, Duration::from_secs(15));
    assert!(status.success(), "graceful shutdown exits 0, got {status}");
}

#[test]
fn first_run_prints_demo_sign_ins_once_and_keeps_them_private() {
    let data = tempfile::tempdir().unwrap();
    let data_dir = data.path().join("var");
    let mut outputs = Vec::new();
    for _ in 0..2 {
        let mut child = spawn_all(&data_dir, data.path());
        let lines = ChildOutput::of(&mut child).until("mrdp: ready", START_LIMIT);
        Command::new("kill")
            .args(["-TERM", &child.id().to_string()])
            .status()
            .unwrap();
        assert!(wait_for_exit(&mut child, Duration::from_secs(15)).success());
        outputs.push(lines.join("\n"));
    }
    let saved = std::fs::read_to_string(data_dir.join("demo-credentials.toml")).unwrap();
    for user in ["alice@mrdp.local", "bob@mrdp.local"] {
        let line = outputs[0]
            .lines()
            .find(|l| l.contains(user))
            .expect("the first run prints each demo user");
        let password = line.rsplit(' ').next().unwrap();
        assert!(
            saved.contains(password),
            "{user}'s printed password is the saved one"
        );
        assert!(
            !outputs[1].contains(user),
            "the second run prints no password"
        );
    }
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(data_dir.join("demo-credentials.toml"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600);
}

#[test]
fn idp_registry_commands_manage_users_and_clients() {
    let data = tempfile::tempdir().unwrap();
    let run = |args: &[&str], stdin: Option<&str>| {
        let mut command = mrdp(data.path());
        command
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = command.spawn().unwrap();
        if let Some(text) = stdin {
            use std::io::Write;
            child
                .stdin
                .take()
                .unwrap()
                .write_all(text.as_bytes())
                .unwrap();
        }
        child.wait_with_output().unwrap()
    };
    let added = run(
        &[
            "idp",
            "user",
            "add",
            "carol",
            "--name",
            "Carol Curator",
            "--password-stdin",
        ],
        Some("a long password\n"),
    );
    assert!(added.status.success(), "{}", stderr_of(&added));
    assert!(String::from_utf8_lossy(&added.stdout).contains("carol@mrdp.local"));
    let again = run(&["idp", "user", "add", "carol", "--name", "Carol"], None);
    assert!(!again.status.success());
    assert!(
        stderr_of(&again).contains("already exists"),
        "{}",
        stderr_of(&again)
    );
    let generated = run(&["idp", "user", "passwd", "carol"], None);
    assert!(String::from_utf8_lossy(&generated.stdout).contains("password: "));
    assert!(
        run(&["idp", "user", "disable", "carol"], None)
            .status
            .success()
    );
    assert!(
        !run(&["idp", "user", "disable", "nobody"], None)
            .status
            .success()
    );

    let client = run(
        &[
            "idp",
            "client",
            "add",
            "notebook",
            "--redirect-uri",
            "https://nb.example.org/cb",
        ],
        None,
    );
    let stdout = String::from_utf8_lossy(&client.stdout).into_owned();
    assert!(
        client.status.success()
            && stdout.contains("client_id: ")
            && stdout.contains("client_secret: "),
        "{stdout}"
    );
    let listed = run(&["idp", "client", "list"], None);
    assert!(String::from_utf8_lossy(&listed.stdout).contains("https://nb.example.org/cb"));
    let rotated = run(&["idp", "client", "rotate-secret", "notebook"], None);
    assert!(String::from_utf8_lossy(&rotated.stdout).contains("client_secret: "));
    let bad = run(
        &[
            "idp",
            "client",
            "add",
            "bad",
            "--redirect-uri",
            "javascript:alert(1)",
        ],
        None,
    );
    assert!(!bad.status.success() && stderr_of(&bad).contains("redirect URI"));
    let group = run(
        &[
            "idp",
            "group",
            "add",
            "curators",
            "--description",
            "NOAA curators",
        ],
        None,
    );
    assert!(group.status.success(), "{}", stderr_of(&group));
    assert!(
        run(&["idp", "group", "add-member", "curators", "carol"], None)
            .status
            .success()
    );
    assert!(
        !run(&["idp", "group", "add-member", "curators", "nobody"], None)
            .status
            .success()
    );
    assert!(
        String::from_utf8_lossy(&run(&["idp", "group", "list"], None).stdout)
            .contains("NOAA curators")
    );

    // Each rotation makes a new key the signing one (what is published: the key ring's tests).
    let kids: Vec<String> = (0..2)
        .map(|_| {
            let rotated =
                String::from_utf8_lossy(&run(&["idp", "rotate-key"], None).stdout).into_owned();
            let kid = rotated
                .strip_prefix("new signing key ")
                .map(|rest| rest.split(':').next().unwrap_or_default().to_owned());
            kid.unwrap_or_else(|| panic!("{rotated}"))
        })
        .collect();
    assert_ne!(kids[0], kids[1]);
}

#[test]
fn healthcheck_fails_when_no_portal_answers() {
    let data = tempfile::tempdir().unwrap();
    // A port held for the whole test, where every connection is closed unanswered (a port merely
    // released could be taken by anything in between).
    let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = silent.local_addr().unwrap();
    std::thread::spawn(move || silent.incoming().for_each(drop));
    let output = mrdp(data.path())
        .args(["healthcheck", "--url", &format!("http://{address}")])
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(
        stderr_of(&output).contains("no answer from"),
        "{}",
        stderr_of(&output)
    );
}

#[test]
fn migrate_brings_every_store_to_its_newest_schema() {
    let data = tempfile::tempdir().unwrap();
    for _ in 0..2 {
        let output = mrdp(data.path()).arg("migrate").output().unwrap();
        assert!(output.status.success(), "{}", stderr_of(&output));
        let stdout = String::from_utf8(output.stdout).unwrap();
        for (schema, migrations) in mrdp_server::deployment::SCHEMAS {
            let newest = migrations.sqlite.iter().map(|m| m.version).max().unwrap();
            let line = format!("mrdp: {schema:<9} schema version {newest}");
            assert!(stdout.lines().any(|l| l == line), "{line} in {stdout}");
        }
    }
}

#[test]
fn configuration_errors_name_the_key_and_exit_non_zero() {
    let data = tempfile::tempdir().unwrap();
    let config_file = data.path().join("mrdp.toml");
    std::fs::write(&config_file, "port_base = 8080\nunknown_key = 1\n").unwrap();

    let cases: Vec<(Command, &str)> = vec![
        (
            {
                let mut c = mrdp(data.path());
                c.arg("migrate").env("MRDP_PORT_BASE", "eighty");
                c
            },
            "port_base",
        ),
        (
            {
                let mut c = mrdp(data.path());
                c.args(["migrate", "--port-base", "65533"]);
                c
            },
            "port_base",
        ),
        (
            {
                let mut c = mrdp(data.path());
                c.arg("migrate").env("MRDP_LOG__FORMAT", "xml");
                c
            },
            "log.format",
        ),
        (
            {
                let mut c = mrdp(data.path());
                c.arg("migrate").env("MRDP_IDP__ACCESS_TOKEN_LIFETIME", "5");
                c
            },
            "idp.access_token_lifetime",
        ),
        (
            {
                let mut c = mrdp(data.path());
                c.arg("migrate").env("MRDP_DATABASE_URL", "mysql://h/db");
                c
            },
            "database_url",
        ),
        (
            {
                let mut c = mrdp(data.path());
                c.arg("--config").arg(&config_file).arg("migrate");
                c
            },
            "unknown_key",
        ),
    ];
    for (mut command, key) in cases {
        let output = command.output().unwrap();
        assert!(!output.status.success(), "{command:?} should fail");
        assert!(
            stderr_of(&output).contains(key),
            "{command:?}: {}",
            stderr_of(&output)
        );
    }
}
