//! The tests' logs carry no personal data: every log file the end-to-end
//! tests wrote (`pulse_tests::log_dir`, one per test process, the
//! in-process functions' lines among them) is read for email addresses, and
//! any address not masked (`a…@example.com`, as
//! `pulse_shared::domain::mail::mask_addresses` writes it) fails the scan.
//!
//! The scan itself is ignored by a plain `cargo test`: `infra/test.sh` empties
//! the directory, runs the whole suite, then runs it on its own
//! (`cargo test -p pulse-tests --test logscan -- --ignored`).
//!
//! Not personal, so allowed: the test stacks' `SenderEmail` (the template's
//! default, `pulse@example.com`), the sending identity of the stack and
//! no one's own address. Everything else counts, the operators' addresses
//! (notification and follow-up recipients, the console's admin) included:
//! they are people too.

use std::path::Path;

/// Addresses that may stand in a log: the stacks' sending identity.
const NOT_PERSONAL: [&str; 1] = ["pulse@example.com"];

/// The unmasked addresses in one line of a log: an `@` (or `%40`, in a
/// path) with an address character right before it and a dotted domain
/// after it. A masked address has `…` before its `@`.
fn unmasked_addresses(line: &str) -> Vec<String> {
    let is_local = |c: char| c.is_alphanumeric() || "._%+-'".contains(c);
    let is_domain = |c: char| c.is_alphanumeric() || c == '.' || c == '-';
    let mut found = Vec::new();
    for (sign, _) in line.char_indices().filter(|&(i, c)| c == '@' || (c == '%' && line[i..].get(..3).is_some_and(|s| s == "%40"))) {
        let sign_len = if line[sign..].starts_with('@') { 1 } else { 3 };
        let local: String = line[..sign].chars().rev().take_while(|&c| is_local(c)).collect::<Vec<_>>().into_iter().rev().collect();
        let domain: String = line[sign + sign_len..].chars().take_while(|&c| is_domain(c)).collect();
        let domain = domain.trim_end_matches(['.', '-']);
        let dotted = domain.split_once('.').is_some_and(|(name, tld)| !name.is_empty() && !tld.is_empty());
        if local.is_empty() || !dotted {
            continue;
        }
        let address = format!("{local}@{domain}");
        if !NOT_PERSONAL.contains(&address.to_lowercase().as_str()) {
            found.push(address);
        }
    }
    found
}

/// Every unmasked address in the log files of `dir`, as `file:line: address`,
/// and how many files were read.
fn scan(dir: &Path) -> (Vec<String>, usize) {
    let mut findings = Vec::new();
    let mut files = 0;
    let Ok(entries) = std::fs::read_dir(dir) else { return (findings, 0) };
    let mut paths: Vec<_> =
        entries.filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.extension().is_some_and(|e| e == "log")).collect();
    paths.sort();
    for path in paths {
        let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        files += 1;
        for (n, line) in String::from_utf8_lossy(&bytes).lines().enumerate() {
            for address in unmasked_addresses(line) {
                let name = path.file_name().unwrap_or_default().to_string_lossy();
                findings.push(format!("{name}:{}: {address}  in  {}", n + 1, line.chars().take(300).collect::<String>()));
            }
        }
    }
    (findings, files)
}

#[test]
#[ignore = "scans the logs of a whole test run; infra/test.sh runs it after the suite"]
fn the_logs_of_the_end_to_end_tests_hold_no_unmasked_address() {
    let dir = pulse_tests::log_dir();
    let (findings, files) = scan(&dir);
    assert!(files > 0, "no log files in {}: run the end-to-end tests first", dir.display());
    assert!(
        findings.is_empty(),
        "{} unmasked address(es) in the logs of {} ({files} files); log them through mask_addresses:\n{}",
        findings.len(),
        dir.display(),
        findings.iter().take(50).cloned().collect::<Vec<_>>().join("\n")
    );
    eprintln!("log scan: {files} files in {}, no unmasked address", dir.display());
}

#[test]
fn a_planted_address_is_caught_and_masked_or_allowed_ones_are_not() {
    let dir = std::env::temp_dir().join(format!("pulse-logscan-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let masked = pulse_shared::domain::mail::mask_addresses(
        "key=report#r1#anna.virtanen@example.fi path=/admin/projects/p/contacts/ben%40example.com",
    );
    let lines = [
        "INFO request refused error=contact anna@example.fi not found".to_string(),
        format!("INFO notification sent {masked}"),
        "INFO test email sent from=pulse@example.com to=a…@example.com".to_string(),
        "DEBUG GET /admin/projects/p/contacts/Ben%40Example.com".to_string(),
        "INFO 50% done @ noon, user@localhost".to_string(),
    ];
    std::fs::write(dir.join("planted-1.log"), lines.join("\n")).unwrap();
    std::fs::write(dir.join("not-a-log.txt"), "anna@example.fi").unwrap();
    let (findings, files) = scan(&dir);
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(files, 1);
    assert_eq!(findings.len(), 2, "{findings:#?}");
    assert!(findings[0].starts_with("planted-1.log:1: anna@example.fi"), "{findings:#?}");
    assert!(findings[1].starts_with("planted-1.log:4: Ben@Example.com"), "{findings:#?}");
}
