//! The `safemark` command: untrusted markdown or HTML in, safe HTML out.

#![forbid(unsafe_code)]

use std::io::{Read, Write};
use std::process::ExitCode;

use safemark::{Policy, Sanitizer};

const HELP: &str = "\
safemark: render untrusted LLM markdown or HTML as safe HTML

Usage: safemark [--html | --stream] [--policy FILE] [--json] [FILE]

Reads FILE, or standard input when FILE is `-` or absent, and writes safe HTML to standard
output. By default no image loads and no link to an absolute destination is clickable.

Options:
  --html           the input is HTML, not markdown
  --policy FILE    a policy JSON file (see the README's policy reference)
  --json           print {\"html\": ..., \"findings\": [...]} instead of HTML
  --stream         markdown arriving over time (a model's output piped in): write each block's
                   HTML as soon as it is final; the whole output is the same as without
                   --stream. Invalid UTF-8 becomes U+FFFD.
  -h, --help       print this help

Exit status: 0 on success; 2 with a one-line message on standard error for bad usage, an
unreadable file, a bad policy or input over a limit.
";

struct Args {
    html: bool,
    stream: bool,
    json: bool,
    policy: Option<String>,
    input: Option<String>,
}

fn parse_args() -> Result<Option<Args>, String> {
    let mut args = Args {
        html: false,
        stream: false,
        json: false,
        policy: None,
        input: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "-h" | "--help" => return Ok(None),
            "--html" => args.html = true,
            "--stream" => args.stream = true,
            "--json" => args.json = true,
            "--policy" => match it.next() {
                Some(file) if args.policy.is_none() => args.policy = Some(file),
                Some(_) => return Err("--policy given twice".into()),
                None => return Err("--policy needs a FILE".into()),
            },
            s if s.starts_with("--policy=") => {
                if args.policy.is_some() {
                    return Err("--policy given twice".into());
                }
                args.policy = Some(s["--policy=".len()..].to_string());
            }
            s if s.starts_with('-') && s != "-" => {
                return Err(format!("unknown option `{s}` (try --help)"))
            }
            _ if args.input.is_some() => return Err("more than one input FILE".into()),
            _ => args.input = Some(arg),
        }
    }
    if args.stream && (args.html || args.json) {
        return Err("--stream renders markdown to HTML: not with --html or --json".into());
    }
    Ok(Some(args))
}

/// Writes committed HTML as the input arrives.
fn stream(sanitizer: &Sanitizer, path: Option<&str>) -> Result<(), String> {
    let mut reader: Box<dyn Read> = match path {
        None | Some("-") => Box::new(std::io::stdin()),
        Some(p) => Box::new(std::fs::File::open(p).map_err(|e| format!("cannot read `{p}`: {e}"))?),
    };
    let mut stream = sanitizer.stream();
    let mut stdout = std::io::stdout().lock();
    let mut buf = vec![0u8; 8192];
    loop {
        let n = match reader.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(format!("cannot read input: {e}")),
        };
        let update = stream
            .push_bytes_committed(&buf[..n])
            .map_err(|e| e.to_string())?;
        if !update.committed.is_empty()
            && stdout
                .write_all(update.committed.as_bytes())
                .and_then(|()| stdout.flush())
                .is_err()
        {
            return Ok(());
        }
    }
    let rest = stream.finish().map_err(|e| e.to_string())?;
    let _ = stdout
        .write_all(rest.committed.as_bytes())
        .and_then(|()| stdout.flush());
    Ok(())
}

fn read_input(path: Option<&str>) -> Result<String, String> {
    let mut bytes = Vec::new();
    match path {
        None | Some("-") => std::io::stdin()
            .read_to_end(&mut bytes)
            .map_err(|e| format!("cannot read standard input: {e}"))?,
        Some(p) => {
            bytes = std::fs::read(p).map_err(|e| format!("cannot read `{p}`: {e}"))?;
            bytes.len()
        }
    };
    String::from_utf8(bytes).map_err(|e| {
        format!(
            "input is not valid UTF-8 (at byte {})",
            e.utf8_error().valid_up_to()
        )
    })
}

fn run() -> Result<(), String> {
    let Some(args) = parse_args()? else {
        print!("{HELP}");
        return Ok(());
    };
    let policy = match &args.policy {
        Some(path) => {
            let json = std::fs::read_to_string(path)
                .map_err(|e| format!("cannot read policy `{path}`: {e}"))?;
            Policy::from_json(&json).map_err(|e| format!("{path}: {e}"))?
        }
        None => Policy::default(),
    };
    let sanitizer = Sanitizer::new(policy).map_err(|e| e.to_string())?;
    if args.stream {
        return stream(&sanitizer, args.input.as_deref());
    }
    let input = read_input(args.input.as_deref())?;
    let rendered = if args.html {
        sanitizer.sanitize_html(&input)
    } else {
        sanitizer.render_markdown(&input)
    }
    .map_err(|e| e.to_string())?;
    let out = if args.json {
        let mut s = serde_json::to_string_pretty(&rendered).map_err(|e| e.to_string())?;
        s.push('\n');
        s
    } else {
        rendered.html
    };
    let mut stdout = std::io::stdout().lock();
    // A closed pipe (`safemark x.md | head`) is not an error worth a message.
    let _ = stdout
        .write_all(out.as_bytes())
        .and_then(|()| stdout.flush());
    Ok(())
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("safemark: {}", message.replace('\n', " "));
            ExitCode::from(2)
        }
    }
}
