//! The `safemark` command: untrusted markdown or HTML in, safe HTML out.

#![forbid(unsafe_code)]

use std::io::{IsTerminal, Read, Write};
use std::process::ExitCode;

use safemark::{Policy, Sanitizer, TerminalOptions};

const HELP: &str = "\
safemark: render untrusted LLM markdown or HTML as safe HTML

Usage: safemark [--html | --stream | --terminal [--color WHEN]] [--policy FILE] [--json] [FILE]

Reads FILE, or standard input when FILE is `-` or absent, and writes safe HTML to standard
output. By default no image loads and no link to an absolute destination is clickable.

Options:
  --html           the input is HTML, not markdown
  --policy FILE    a policy JSON file (see the README's policy reference)
  --json           print {\"html\": ..., \"findings\": [...]} instead of HTML
  --stream         markdown arriving over time (a model's output piped in): write each block's
                   HTML as soon as it is final; the whole output is the same as without
                   --stream. Errors as without --stream; one that arises mid-stream
                   stops it after the blocks already written (see the README).
  --terminal       markdown to text for a terminal: every control character and escape
                   sequence of the input is shown as a visible symbol (ESC as ␛), links as
                   `text (host…)`, images as `[image: alt]`; invalid UTF-8 becomes U+FFFD
  --color WHEN     with --terminal: `auto` (default: styled when standard output is a
                   terminal and NO_COLOR is unset), `always` or `never`. Styling uses
                   safemark's own codes only; trusted links become OSC 8 hyperlinks
  -h, --help       print this help

Exit status: 0 on success; 2 with a one-line message on standard error for bad usage, an
unreadable file, a bad policy or input over a limit.
";

#[derive(Clone, Copy, PartialEq, Eq)]
enum Color {
    Auto,
    Always,
    Never,
}

struct Args {
    html: bool,
    stream: bool,
    terminal: bool,
    color: Option<Color>,
    json: bool,
    policy: Option<String>,
    input: Option<String>,
}

fn parse_args() -> Result<Option<Args>, String> {
    let mut args = Args {
        html: false,
        stream: false,
        terminal: false,
        color: None,
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
            "--terminal" => args.terminal = true,
            "--color" => {
                let when = it.next().ok_or("--color needs auto, always or never")?;
                args.color = Some(color(&when)?);
            }
            s if s.starts_with("--color=") => args.color = Some(color(&s["--color=".len()..])?),
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
    if args.stream && (args.html || args.json || args.terminal) {
        return Err(
            "--stream renders markdown to HTML: not with --html, --json or --terminal".into(),
        );
    }
    if args.terminal && args.html {
        return Err("--terminal renders markdown: not with --html".into());
    }
    if args.color.is_some() && !args.terminal {
        return Err("--color applies to --terminal only".into());
    }
    Ok(Some(args))
}

fn color(when: &str) -> Result<Color, String> {
    match when {
        "auto" => Ok(Color::Auto),
        "always" => Ok(Color::Always),
        "never" => Ok(Color::Never),
        _ => Err(format!("--color takes auto, always or never, not `{when}`")),
    }
}

/// Styling for `--color auto`: standard output is a terminal, `NO_COLOR` is unset or empty
/// and `TERM` is not `dumb`.
fn auto_color() -> bool {
    std::io::stdout().is_terminal()
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        && std::env::var_os("TERM").is_none_or(|t| t != "dumb")
}

/// Writes committed HTML as the input arrives.
///
/// Errors are those of the batch render: input over `limits.max_input_bytes` and invalid UTF-8
/// (at its byte offset). A file over the limit is refused before anything is written. Input
/// that reaches the limit, or an invalid byte, while it streams in stops the stream: what was
/// written is final HTML of complete blocks (the batch render of the blocks before), nothing
/// more is written, and the exit status is 2.
fn stream(sanitizer: &Sanitizer, path: Option<&str>) -> Result<(), String> {
    let max = sanitizer.policy().limits.max_input_bytes;
    let mut reader: Box<dyn Read> = match path {
        None | Some("-") => Box::new(std::io::stdin()),
        Some(p) => {
            let file = std::fs::File::open(p).map_err(|e| format!("cannot read `{p}`: {e}"))?;
            if let Ok(meta) = file.metadata() {
                let len = usize::try_from(meta.len()).unwrap_or(usize::MAX);
                if meta.is_file() && len > max {
                    return Err(safemark::Error::InputTooLarge { len, max }.to_string());
                }
            }
            Box::new(file)
        }
    };
    let mut stream = sanitizer.stream();
    let mut stdout = std::io::stdout().lock();
    let mut buf = vec![0u8; 8192];
    // Bytes of a character split between two reads, and how many bytes came before them.
    let mut carry: Vec<u8> = Vec::new();
    let mut offset = 0usize;
    loop {
        let n = match reader.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(format!("cannot read input: {e}")),
        };
        carry.extend_from_slice(&buf[..n]);
        let valid = match std::str::from_utf8(&carry) {
            Ok(_) => carry.len(),
            Err(e) if e.error_len().is_none() => e.valid_up_to(),
            Err(e) => {
                return Err(format!(
                    "input is not valid UTF-8 (at byte {})",
                    offset + e.valid_up_to()
                ))
            }
        };
        let text = std::str::from_utf8(&carry[..valid]).unwrap_or_default();
        let update = stream.push_committed(text).map_err(|e| e.to_string())?;
        offset += valid;
        carry.drain(..valid);
        if !update.committed.is_empty()
            && stdout
                .write_all(update.committed.as_bytes())
                .and_then(|()| stdout.flush())
                .is_err()
        {
            return Ok(());
        }
    }
    if !carry.is_empty() {
        return Err(format!("input is not valid UTF-8 (at byte {offset})"));
    }
    let rest = stream.finish().map_err(|e| e.to_string())?;
    let _ = stdout
        .write_all(rest.committed.as_bytes())
        .and_then(|()| stdout.flush());
    Ok(())
}

fn read_input(path: Option<&str>, lossy: bool) -> Result<String, String> {
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
    if lossy {
        // For a terminal, a stray byte such as 0x9B (an 8-bit CSI) must not pass through.
        return Ok(String::from_utf8_lossy(&bytes).into_owned());
    }
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
    let input = read_input(args.input.as_deref(), args.terminal)?;
    if args.terminal {
        let styled = match args.color.unwrap_or(Color::Auto) {
            Color::Always => true,
            Color::Never => false,
            Color::Auto => auto_color(),
        };
        let options = if styled {
            TerminalOptions::styled()
        } else {
            TerminalOptions::plain()
        };
        let rendered = sanitizer
            .render_terminal(&input, options)
            .map_err(|e| e.to_string())?;
        return print(args.json, &rendered, &rendered.text);
    }
    let rendered = if args.html {
        sanitizer.sanitize_html(&input)
    } else {
        sanitizer.render_markdown(&input)
    }
    .map_err(|e| e.to_string())?;
    print(args.json, &rendered, &rendered.html)
}

/// Writes `text`, or with `--json` the whole `report` (text and findings), to standard output.
fn print(json: bool, report: &impl serde::Serialize, text: &str) -> Result<(), String> {
    let json_text;
    let out = if json {
        json_text = serde_json::to_string_pretty(report).map_err(|e| e.to_string())? + "\n";
        &json_text
    } else {
        text
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
            // A message can quote a file name or a value: no control character of it reaches
            // the terminal.
            let message: String = message
                .chars()
                .map(|c| if c.is_control() { ' ' } else { c })
                .collect();
            eprintln!("safemark: {message}");
            ExitCode::from(2)
        }
    }
}
