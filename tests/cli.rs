//! The `safemark` command's contract: arguments, exit codes, outputs.
// Raw HTML sanitized (and `safemark::audit`): the `html` feature. `tests/lite.rs` covers
// the build without it.
#![cfg(feature = "html")]

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn run(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_safemark"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The command may exit (on a usage error) before reading its input: a broken pipe here
    // is expected then.
    let _ = child.stdin.take().unwrap().write_all(stdin);
    child.wait_with_output().unwrap()
}

fn tmp(name: &str, contents: &[u8]) -> String {
    let dir = std::env::temp_dir().join(format!("safemark-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, contents).unwrap();
    path.to_string_lossy().into_owned()
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

const MD: &[u8] = b"# Hi\n\n![x](https://attacker.example/p.png?d=1) <script>alert(1)</script>";

#[test]
fn markdown_from_file_stdin_and_dash() {
    let file = tmp("a.md", MD);
    for o in [run(&[&file], b""), run(&[], MD), run(&["-"], MD)] {
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let html = stdout(&o);
        assert!(html.starts_with("<h1>Hi</h1>"), "{html}");
        assert!(!html.contains("<img") && !html.contains("<script"));
        assert!(stderr(&o).is_empty());
    }
}

#[test]
fn json_output() {
    let o = run(&["--json"], MD);
    assert_eq!(o.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert!(v["html"].as_str().unwrap().contains("<h1>Hi</h1>"));
    let kinds: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["kind"].as_str().unwrap())
        .collect();
    assert!(
        kinds.contains(&"blocked_image") && kinds.contains(&"script"),
        "{kinds:?}"
    );
}

#[test]
fn html_mode() {
    let o = run(&["--html"], b"# not a heading <b onclick=x>b</b>");
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(stdout(&o), "# not a heading <b>b</b>");
}

#[test]
fn policy_file() {
    let policy = tmp(
        "p.json",
        br#"{"images": {"allow": ["https://attacker.example/"]}}"#,
    );
    let o = run(&["--policy", &policy], MD);
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).contains("<img src=\"https://attacker.example/p.png?d=1\""));
    let o = run(&[&format!("--policy={policy}")], MD);
    assert!(stdout(&o).contains("<img src="));
}

fn assert_usage_error(o: &Output, needle: &str) {
    assert_eq!(o.status.code(), Some(2), "{}", stderr(o));
    assert!(o.stdout.is_empty(), "no partial output on error");
    let err = stderr(o);
    assert_eq!(err.lines().count(), 1, "one line: {err:?}");
    assert!(err.contains(needle), "{err:?} lacks {needle:?}");
}

#[test]
fn errors_exit_2_with_one_line() {
    let bad = tmp("bad.json", br#"{"links": {"allow": ["not a url"]}}"#);
    assert_usage_error(&run(&["--policy", &bad], MD), "links.allow[0]");
    let unknown = tmp("unknown.json", br#"{"images": {"alow": []}}"#);
    assert_usage_error(&run(&["--policy", &unknown], MD), "images.alow");
    let small = tmp("small.json", br#"{"limits": {"max_input_bytes": 8}}"#);
    assert_usage_error(&run(&["--policy", &small], MD), "limits.max_input_bytes");
    assert_usage_error(&run(&["--bogus"], MD), "--bogus");
    assert_usage_error(&run(&["--policy"], MD), "--policy");
    assert_usage_error(&run(&["a.md", "b.md"], MD), "more than one");
    assert_usage_error(&run(&["/nonexistent/x.md"], MD), "/nonexistent/x.md");
    assert_usage_error(&run(&["--policy", "/nonexistent/p.json"], MD), "p.json");
    assert_usage_error(&run(&[], b"ok \xff\xfe"), "UTF-8");
}

#[test]
fn help() {
    let o = run(&["--help"], b"");
    assert_eq!(o.status.code(), Some(0));
    let h = stdout(&o);
    assert!(h.contains(
        "safemark [--html | --stream | --terminal [--color WHEN]] [--policy FILE] [--json] [FILE]"
    ));
    for word in ["--html", "--stream", "--policy", "--json", "Exit status"] {
        assert!(h.contains(word), "help lacks {word}");
    }
}

/// `--stream` writes a block as soon as it is final, and its whole output is the batch output.
#[test]
fn stream_mode() {
    let doc = b"# Title\n\nSee [docs][d] and ![x](https://attacker.example/p.png?d=1).\n\n<details>\n<summary>s</summary>\n\n- a\n- b\n\n</details>\n\n[d]: https://docs.example.com/\n";
    let batch = run(&[], doc);
    let streamed = run(&["--stream"], doc);
    assert_eq!(streamed.status.code(), Some(0), "{}", stderr(&streamed));
    assert_eq!(stdout(&streamed), stdout(&batch));

    // The first block comes out while the input is still open.
    let mut child = Command::new(env!("CARGO_BIN_EXE_safemark"))
        .arg("--stream")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(b"# First\n\nsecond paragraph\n").unwrap();
    stdin.flush().unwrap();
    let mut out = child.stdout.take().unwrap();
    let mut first = [0u8; 14];
    std::io::Read::read_exact(&mut out, &mut first).unwrap();
    assert_eq!(&first, b"<h1>First</h1>");
    drop(stdin);
    assert!(child.wait().unwrap().success());

    assert_usage_error(&run(&["--stream", "--html"], b""), "--stream");
}

#[test]
fn terminal_mode() {
    let md = b"# Hi\n\nrun \x1b]52;c;cm0=\x07 [docs](https://evil.example/x?d=1) \xc2\x9b2J ![chart](https://a.example/p.png)\n";
    // Piped (not a terminal): `auto` is plain, no escape sequence at all.
    for args in [
        &["--terminal"][..],
        &["--terminal", "--color", "auto"],
        &["--terminal", "--color=never"],
    ] {
        let o = run(args, md);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        assert_eq!(
            stdout(&o),
            "# Hi\n\nrun ␛]52;c;cm0=␇ docs (evil.example…) <U+009B>2J [image: chart]\n"
        );
    }
    // `always`: safemark's own styling, the input's escapes still visible.
    let o = run(&["--terminal", "--color", "always"], md);
    let out = stdout(&o);
    assert!(out.starts_with("\x1b[1m# Hi"), "{out:?}");
    assert!(out.contains("␛]52;") && !out.contains("\x1b]52"), "{out:?}");
    // A raw 0x9B byte (not UTF-8) never passes through.
    let o = run(&["--terminal"], b"a \x9b2J b");
    assert_eq!(stdout(&o), "a \u{FFFD}2J b\n");
    // JSON: the text and the findings.
    let o = run(&["--terminal", "--json"], md);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let kinds: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["kind"].as_str().unwrap())
        .collect();
    assert!(
        kinds.contains(&"control_character") && kinds.contains(&"untrusted_link"),
        "{kinds:?}"
    );
    // Usage errors.
    assert_usage_error(&run(&["--terminal", "--color", "rainbow"], md), "--color");
    assert_usage_error(&run(&["--color", "always"], md), "--terminal");
    assert_usage_error(&run(&["--terminal", "--html"], md), "--terminal");
}

/// `--stream` has the batch render's errors: invalid UTF-8 is an error (not U+FFFD), a file
/// over the limit is refused with nothing on standard output, and input that reaches the limit
/// while it streams in stops the stream after complete blocks: what was written is a prefix of
/// the batch render of the blocks before, never a partial block.
#[test]
fn stream_errors_are_the_batch_errors() {
    let policy = tmp(
        "stream-limit.json",
        br#"{"limits": {"max_input_bytes": 4096}}"#,
    );
    // Invalid UTF-8, in a file and piped, and split across reads.
    for input in [&b"# a\n\nb\xff\n"[..], b"ok\n\n\xe2\x82", b"\xc3("] {
        let o = run(&["--stream"], input);
        assert_eq!(o.status.code(), Some(2));
        assert!(stderr(&o).contains("not valid UTF-8"), "{}", stderr(&o));
        assert!(!stdout(&o).contains('\u{FFFD}'));
    }
    // A file over the limit: nothing is written.
    let big: Vec<u8> = b"# a\n\n".repeat(1000);
    let file = tmp("big.md", &big);
    let o = run(&["--stream", "--policy", &policy, &file], b"");
    assert_eq!(o.status.code(), Some(2));
    assert!(stdout(&o).is_empty());
    assert!(
        stderr(&o).contains("limits.max_input_bytes"),
        "{}",
        stderr(&o)
    );
    // Piped: stops after complete blocks, a prefix of the batch render.
    let o = run(&["--stream", "--policy", &policy], &big);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("limits.max_input_bytes"));
    let written = stdout(&o);
    let batch = stdout(&run(&["--policy", &policy], &big[..4000]));
    assert!(batch.starts_with(&written), "{written:?}");
    assert!(
        written.is_empty() || written.ends_with("</h1>\n"),
        "{written:?}"
    );
}
