//! Proof that the domain's modules import each other without a circle.
//!
//! The test reads every source file under `src/domain` and collects each
//! module's dependencies on other domain modules: paths starting with
//! `crate::domain::` or `super::` (in code and in `use` lines, braces
//! expanded), and in a `mod.rs` the children it re-exports. Comments do not
//! count. A file's `#[cfg(test)] mod tests` is a module of its own
//! (`x::tests`), as in Rust, so tests may share fixtures with siblings. A
//! cycle fails the test and is named (`report -> project -> report`).
//! This file itself is left out: it only talks about paths.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// A module path below `crate::domain` (`["b2b", "health"]`).
type Module = Vec<String>;

/// Module → the domain modules it uses.
type Graph = BTreeMap<Module, BTreeSet<Module>>;

fn name(m: &[String]) -> String {
    m.join("::")
}

/// Every source file below `dir` as (module path, text), `mod.rs` naming its folder.
fn read_sources(dir: &Path, prefix: &[String], out: &mut BTreeMap<Module, String>) {
    let entries = std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    for entry in entries {
        let path = entry.expect("a directory entry").path();
        let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or_default().to_string();
        let mut module = prefix.to_vec();
        if path.is_dir() {
            module.push(stem);
            read_sources(&path, &module, out);
            continue;
        }
        if path.extension().and_then(|e| e.to_str()) != Some("rs") || (prefix.is_empty() && stem == "layers") {
            continue;
        }
        if stem != "mod" {
            module.push(stem);
        }
        if module.is_empty() {
            continue; // domain/mod.rs: the root only declares the modules
        }
        out.insert(module, std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display())));
    }
}

/// The text without `//` comments (doc links are not imports).
fn without_comments(text: &str) -> String {
    text.lines().map(|l| l.split("//").next().unwrap_or_default()).collect::<Vec<_>>().join("\n")
}

/// Splits a file into its own code and its `#[cfg(test)] mod tests { … }` (which ends the file).
fn split_tests(text: &str) -> (String, Option<String>) {
    let lines: Vec<&str> = text.lines().collect();
    let start = (1..lines.len()).find(|&i| lines[i].trim() == "mod tests {" && lines[i - 1].trim() == "#[cfg(test)]");
    match start {
        Some(i) => (lines[..i - 1].join("\n"), Some(lines[i..].join("\n"))),
        None => (text.to_string(), None),
    }
}

fn is_ident(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Parses the path at the start of `s` (`a::b::{c, d::e}`), braces expanded;
/// returns every full path and how many bytes were read.
fn parse_paths(s: &str) -> (Vec<Vec<String>>, usize) {
    let mut at = 0;
    let mut segments: Vec<String> = Vec::new();
    loop {
        let rest = &s[at..];
        let skipped = rest.len() - rest.trim_start().len();
        let rest = rest.trim_start();
        if let Some(inner) = rest.strip_prefix('{') {
            let mut paths = Vec::new();
            let mut used = skipped + 1;
            let mut inner = inner;
            loop {
                let ws = inner.len() - inner.trim_start().len();
                inner = &inner[ws..];
                used += ws;
                if inner.starts_with('}') {
                    used += 1;
                    break;
                }
                let (items, n) = parse_paths(inner);
                if n == 0 {
                    break; // not a path: stop rather than loop
                }
                paths.extend(items.into_iter().map(|p| segments.iter().cloned().chain(p).collect()));
                inner = &inner[n..];
                used += n;
                let ws = inner.len() - inner.trim_start().len();
                inner = &inner[ws..];
                used += ws;
                if let Some(after) = inner.strip_prefix(',') {
                    inner = after;
                    used += 1;
                }
            }
            return (paths, at + used);
        }
        let len = if rest.starts_with('*') { 1 } else { rest.find(|c: char| !is_ident(c)).unwrap_or(rest.len()) };
        if len == 0 {
            return (if segments.is_empty() { vec![] } else { vec![segments] }, at);
        }
        segments.push(rest[..len].to_string());
        at += skipped + len;
        match s[at..].strip_prefix("::") {
            Some(_) => at += 2,
            None => return (vec![segments], at),
        }
    }
}

/// The longest known module `base` + `path` names.
fn resolve(known: &BTreeSet<Module>, base: &[String], path: &[String]) -> Option<Module> {
    let full: Vec<String> = base.iter().chain(path).cloned().collect();
    (1..=full.len()).rev().map(|n| full[..n].to_vec()).find(|m| known.contains(m))
}

/// The domain modules one piece of code (of module `module`) uses.
fn uses(code: &str, module: &[String], known: &BTreeSet<Module>, children_relative: bool) -> BTreeSet<Module> {
    let code = without_comments(code);
    let mut found = BTreeSet::new();
    let mut add = |base: &[String], paths: Vec<Vec<String>>| {
        for p in paths {
            if let Some(m) = resolve(known, base, &p) {
                if m != module {
                    found.insert(m);
                }
            }
        }
    };
    for (i, _) in code.char_indices() {
        let before = code[..i].chars().next_back();
        if before.is_some_and(|c| is_ident(c) || c == ':') {
            continue;
        }
        let rest = &code[i..];
        if let Some(after) = rest.strip_prefix("crate::domain::") {
            add(&[], parse_paths(after).0);
        } else if rest.starts_with("super::") {
            let mut base = module.to_vec();
            let mut after = rest;
            while let Some(a) = after.strip_prefix("super::") {
                if base.pop().is_none() {
                    break;
                }
                after = a;
            }
            add(&base, parse_paths(after).0);
        }
    }
    if children_relative {
        // a `mod.rs` re-exporting its children: `pub use aggregate::*;`
        for line in code.lines() {
            let line = line.trim();
            let Some(path) = line.strip_prefix("pub use ").or_else(|| line.strip_prefix("use ")) else { continue };
            let paths: Vec<Vec<String>> =
                parse_paths(path).0.into_iter().filter(|p| !matches!(p[0].as_str(), "crate" | "super" | "self")).collect();
            add(module, paths);
        }
    }
    found
}

/// The dependency graph of the given sources (module path → text).
fn graph(sources: &BTreeMap<Module, String>) -> Graph {
    let mut known: BTreeSet<Module> = sources.keys().cloned().collect();
    let split: Vec<(Module, String, Option<String>)> = sources
        .iter()
        .map(|(m, text)| {
            let (code, tests) = split_tests(text);
            (m.clone(), code, tests)
        })
        .collect();
    for (m, _, tests) in &split {
        if tests.is_some() {
            known.insert(m.iter().cloned().chain(["tests".to_string()]).collect());
        }
    }
    let mut g = Graph::new();
    for (m, code, tests) in &split {
        g.insert(m.clone(), uses(code, m, &known, true));
        if let Some(t) = tests {
            let tm: Module = m.iter().cloned().chain(["tests".to_string()]).collect();
            g.insert(tm.clone(), uses(t, &tm, &known, false));
        }
    }
    g
}

/// The first cycle found, as `a -> b -> a`.
fn find_cycle(g: &Graph) -> Option<String> {
    fn visit(g: &Graph, m: &Module, done: &mut BTreeSet<Module>, path: &mut Vec<Module>) -> Option<String> {
        if let Some(pos) = path.iter().position(|p| p == m) {
            let cycle: Vec<String> = path[pos..].iter().chain([m]).map(|p| name(p)).collect();
            return Some(cycle.join(" -> "));
        }
        if done.contains(m) {
            return None;
        }
        path.push(m.clone());
        for d in g.get(m).into_iter().flatten() {
            if let Some(c) = visit(g, d, done, path) {
                return Some(c);
            }
        }
        path.pop();
        done.insert(m.clone());
        None
    }
    let mut done = BTreeSet::new();
    g.keys().find_map(|m| visit(g, m, &mut done, &mut Vec::new()))
}

fn module(path: &str) -> Module {
    path.split("::").map(str::to_string).collect()
}

#[test]
fn the_domain_modules_form_a_dag() {
    let mut sources = BTreeMap::new();
    read_sources(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src/domain"), &[], &mut sources);
    let g = graph(&sources);
    assert!(g.len() > 20, "the domain's files were not found: {:?}", g.keys().collect::<Vec<_>>());
    let uses = |from: &str, to: &str| g[&module(from)].contains(&module(to));
    // the reader sees every kind of path, so an empty graph cannot pass
    assert!(uses("report::figures", "report::aggregate"), "a `super::` path");
    assert!(uses("b2b::health", "report"), "a `crate::domain::` path in code");
    assert!(uses("report", "settings"), "a re-export");
    assert!(uses("b2b", "b2b::mapping"), "a `mod.rs` re-exporting its child");
    assert!(uses("b2b::mapping::tests", "b2b::fixtures"), "a test's fixture");
    assert!(g[&module("kinds")].is_empty(), "the leaf imports nothing from the domain: {:?}", g[&module("kinds")]);
    for settings_user in ["project", "report", "b2b"] {
        assert!(uses(settings_user, "settings"), "{settings_user} reads its settings from `settings`");
    }
    if let Some(cycle) = find_cycle(&g) {
        panic!("the domain modules import each other in a circle: {cycle}");
    }
}

#[test]
fn a_circle_is_found_and_named_and_a_test_module_is_its_own_node() {
    let sources = |files: &[(&str, &str)]| -> BTreeMap<Module, String> { files.iter().map(|(m, t)| (module(m), t.to_string())).collect() };
    let circle = sources(&[
        ("a", "use super::b::X; // use super::kinds::Ignored;"),
        ("b", "fn f() { crate::domain::c::g() }"),
        ("c", "use super::{\n    a::{Y, Z},\n    kinds::K,\n};"),
        ("kinds", "/// see [`super::a::Y`]\npub struct K;"),
    ]);
    let g = graph(&circle);
    assert_eq!(g[&module("kinds")], BTreeSet::new(), "comments are not imports");
    assert_eq!(g[&module("c")], BTreeSet::from([module("a"), module("kinds")]));
    assert_eq!(find_cycle(&g).as_deref(), Some("a -> b -> c -> a"));

    let folder = sources(&[("r", "pub use agg::*;\npub use fig::*;"), ("r::agg", "use super::fig::F;"), ("r::fig", "use super::agg::A;")]);
    assert_eq!(find_cycle(&graph(&folder)).as_deref(), Some("r::agg -> r::fig -> r::agg"));

    let tests_apart = sources(&[
        ("x", "pub struct U;\n\n#[cfg(test)]\nmod tests {\n    use super::super::y::T;\n}"),
        ("y", "use super::x::U;\npub struct T;"),
    ]);
    let g = graph(&tests_apart);
    assert_eq!(g[&module("x::tests")], BTreeSet::from([module("y")]));
    assert_eq!(find_cycle(&g), None);
}
