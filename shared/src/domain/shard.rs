//! Write shards: the items every response of a busy project moves (its
//! report buckets of the day, its segment buckets, its open-text answers)
//! spread over `K` partition keys, so that one project is not bounded by
//! what DynamoDB gives one partition key (about 1,000 write units a
//! second; a transaction writes each item twice). A response writes to the
//! one shard its id picks; a report reads every shard and sums them.
//!
//! Shard 0 keeps the unsharded key, so a project that never spreads its
//! writes (`K = 1`, the default) reads and writes exactly as before, and a
//! project that starts spreading keeps what it has stored.

/// The most shards a project may spread its writes over: 32 partitions
/// take about 32,000 write units a second, and a report reads every shard.
pub const MAX_SHARDS: u32 = 32;

/// The shard a response writes to: a stable hash of its id (FNV-1a, the
/// same on every Lambda and every run) modulo `shards`.
pub fn pick(response_id: &str, shards: u32) -> u32 {
    if shards <= 1 {
        return 0;
    }
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in response_id.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    (h % u64::from(shards)) as u32
}

/// The partition key of shard `shard` of the item family `base`: `base`
/// itself for shard 0, `{base}#~{shard}` for the others (`~` sorts after
/// every letter, digit and `:`, so no other key of the family starts so).
pub fn key(base: &str, shard: u32) -> String {
    if shard == 0 {
        base.to_string()
    } else {
        format!("{base}#~{shard}")
    }
}

/// Every partition key of the family `base` over `shards` shards.
pub fn keys(base: &str, shards: u32) -> impl Iterator<Item = String> + '_ {
    (0..shards.max(1)).map(move |i| key(base, i))
}

/// The shard a key made by [`key`] from `base` names (none: not such a key).
pub fn of_key(base: &str, key: &str) -> Option<u32> {
    match key.strip_prefix(base)? {
        "" => Some(0),
        rest => rest.strip_prefix("#~")?.parse().ok(),
    }
}

/// Every shard an item of `id` may have been written to while the project
/// had at most `shards` (the count only grows, and a write used the count
/// of its day): the shard of today's count first.
pub fn candidates(id: &str, shards: u32) -> Vec<u32> {
    let mut out = vec![pick(id, shards)];
    for k in 1..shards {
        let s = pick(id, k);
        if !out.contains(&s) {
            out.push(s);
        }
    }
    out
}

/// A page cursor over the shards of a partition: the shard to go on in and
/// the last sort key read there (none: from its start). `{shard}~{key}`;
/// a cursor without `~` is a key of shard 0 (cursors made before shards).
pub fn cursor(shard: u32, after: Option<&str>) -> String {
    format!("{shard}~{}", after.unwrap_or(""))
}

/// The shard and last key a [`cursor`] names.
pub fn parse_cursor(cursor: &str) -> (u32, Option<String>) {
    match cursor.split_once('~') {
        Some((shard, after)) if shard.bytes().all(|b| b.is_ascii_digit()) && !shard.is_empty() => {
            (shard.parse().unwrap_or(0), (!after.is_empty()).then(|| after.to_string()))
        }
        _ => (0, Some(cursor.to_string())),
    }
}

/// Whether `shards` is a shard count a project may have.
pub fn check(shards: u32) -> Result<(), String> {
    if (1..=MAX_SHARDS).contains(&shards) {
        Ok(())
    } else {
        Err(format!("between 1 and {MAX_SHARDS} shards"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_names_its_shard_back() {
        for n in [0, 1, 7, 31] {
            assert_eq!(of_key("ACCOUNT#a#LEASE", &key("ACCOUNT#a#LEASE", n)), Some(n));
        }
        assert_eq!(of_key("ACCOUNT#a#LEASE", "ACCOUNT#b#LEASE"), None);
        assert_eq!(of_key("ACCOUNT#a", "ACCOUNT#a#LEASE"), None, "another base that begins the same");
    }

    #[test]
    fn one_shard_is_the_unsharded_key() {
        assert_eq!(pick("any", 1), 0);
        assert_eq!(key("AGG#p", 0), "AGG#p");
        assert_eq!(keys("AGG#p", 1).collect::<Vec<_>>(), vec!["AGG#p"]);
        assert_eq!(keys("AGG#p", 3).collect::<Vec<_>>(), vec!["AGG#p", "AGG#p#~1", "AGG#p#~2"]);
    }

    #[test]
    fn responses_spread_evenly_and_always_to_the_same_shard() {
        let mut seen = [0u32; 16];
        for i in 0..16_000 {
            let id = format!("resp-{i}");
            let s = pick(&id, 16);
            assert_eq!(s, pick(&id, 16), "stable");
            seen[s as usize] += 1;
        }
        // 1,000 expected per shard
        assert!(seen.iter().all(|n| (850..=1150).contains(n)), "{seen:?}");
    }

    #[test]
    fn a_shard_key_never_looks_like_a_segment_or_text_key() {
        // segments are `AGG#{p}#F:…` / `#Q:…`, texts `AGG#{p}#TEXT`
        let k = key("AGG#p", 7);
        assert!(!k.starts_with("AGG#p#F:") && !k.starts_with("AGG#p#Q:") && !k.starts_with("AGG#p#TEXT"));
        assert!(k.starts_with("AGG#p#"), "a project's deletion sweeps every key under `AGG#{{p}}#`");
    }

    #[test]
    fn an_item_is_looked_for_on_every_shard_it_may_have_been_written_to() {
        assert_eq!(candidates("x", 1), vec![0]);
        let c = candidates("resp-42", 8);
        assert_eq!(c[0], pick("resp-42", 8), "today's shard first");
        for k in 1..=8 {
            assert!(c.contains(&pick("resp-42", k)), "written while the project had {k} shards");
        }
        let mut unique = c.clone();
        unique.dedup();
        assert_eq!(unique.len(), c.len());
    }

    #[test]
    fn a_cursor_names_its_shard_and_an_old_cursor_is_shard_0() {
        assert_eq!(parse_cursor(&cursor(3, Some("RESPONSE#abc"))), (3, Some("RESPONSE#abc".into())));
        assert_eq!(parse_cursor(&cursor(2, None)), (2, None));
        assert_eq!(parse_cursor("abc-def_1"), (0, Some("abc-def_1".into())));
    }

    #[test]
    fn the_count_is_checked() {
        assert!(check(1).is_ok() && check(MAX_SHARDS).is_ok());
        assert!(check(0).is_err() && check(MAX_SHARDS + 1).is_err());
    }
}
