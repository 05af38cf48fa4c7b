//! What a warm Lambda keeps between invocations.
//!
//! A Lambda process serves many requests one after another; reading the
//! same immutable or revision-checked items again for each of them costs a
//! DynamoDB round trip every time. A [`WarmCache`] keeps them in memory,
//! bounded in size (emptied when full: the next requests read again) and,
//! where the item can change, in age. What is kept must either never change
//! (a published survey version) or be checked by the write that relies on
//! it (the project's revision, checked in the submission's transaction).

use std::borrow::Borrow;
use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A bounded map of values kept between invocations.
#[derive(Debug)]
pub struct WarmCache<K, V> {
    entries: Arc<Mutex<HashMap<K, (Instant, V)>>>,
    capacity: usize,
    /// How long an entry is used; `None`: until the process ends.
    max_age: Option<Duration>,
}

impl<K, V> Clone for WarmCache<K, V> {
    fn clone(&self) -> Self {
        WarmCache { entries: Arc::clone(&self.entries), capacity: self.capacity, max_age: self.max_age }
    }
}

impl<K: Eq + Hash, V: Clone> WarmCache<K, V> {
    /// A cache of at most `capacity` entries, each used for at most `max_age`.
    pub fn new(capacity: usize, max_age: Option<Duration>) -> Self {
        WarmCache { entries: Arc::default(), capacity: capacity.max(1), max_age }
    }

    /// The value kept for `key`, unless it is older than the cache's age limit.
    pub fn get<Q: Eq + Hash + ?Sized>(&self, key: &Q) -> Option<V>
    where
        K: Borrow<Q>,
    {
        let entries = self.entries.lock().ok()?;
        let (at, value) = entries.get(key)?;
        match self.max_age {
            Some(age) if at.elapsed() > age => None,
            _ => Some(value.clone()),
        }
    }

    /// The value kept for `key` if it was kept within `age` (and within the
    /// cache's own age limit).
    pub fn get_within<Q: Eq + Hash + ?Sized>(&self, key: &Q, age: Duration) -> Option<V>
    where
        K: Borrow<Q>,
    {
        let entries = self.entries.lock().ok()?;
        let (at, value) = entries.get(key)?;
        let limit = self.max_age.map_or(age, |max| max.min(age));
        (at.elapsed() <= limit).then(|| value.clone())
    }

    /// Keeps `value` for `key` (replacing what was kept).
    pub fn put(&self, key: K, value: V) {
        if let Ok(mut entries) = self.entries.lock() {
            if entries.len() >= self.capacity && !entries.contains_key(&key) {
                entries.clear();
            }
            entries.insert(key, (Instant::now(), value));
        }
    }

    /// Forgets what was kept for `key` (it turned out to be out of date).
    pub fn forget<Q: Eq + Hash + ?Sized>(&self, key: &Q)
    where
        K: Borrow<Q>,
    {
        if let Ok(mut entries) = self.entries.lock() {
            entries.remove(key);
        }
    }

    /// How many entries are kept.
    pub fn len(&self) -> usize {
        self.entries.lock().map(|e| e.len()).unwrap_or(0)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_kept_value_is_returned_and_shared_between_clones() {
        let cache: WarmCache<String, u32> = WarmCache::new(4, None);
        let other = cache.clone();
        cache.put("a".into(), 1);
        assert_eq!(other.get("a"), Some(1));
        other.put("a".into(), 2);
        assert_eq!(cache.get("a"), Some(2), "a later value replaces the earlier one");
        assert_eq!(cache.get("b"), None);
    }

    #[test]
    fn the_cache_never_grows_past_its_capacity() {
        let cache: WarmCache<u32, u32> = WarmCache::new(3, None);
        for i in 0..10 {
            cache.put(i, i);
            assert!(cache.len() <= 3, "{} entries after {} puts", cache.len(), i + 1);
        }
        assert_eq!(cache.get(&9), Some(9), "the newest entry is kept");
        // replacing an entry of a full cache keeps the others
        let full: WarmCache<u32, u32> = WarmCache::new(2, None);
        full.put(1, 1);
        full.put(2, 2);
        full.put(2, 20);
        assert_eq!((full.get(&1), full.get(&2)), (Some(1), Some(20)));
    }

    #[test]
    fn an_entry_older_than_the_age_limit_is_not_used_and_a_forgotten_one_is_gone() {
        let cache: WarmCache<u32, u32> = WarmCache::new(8, Some(Duration::ZERO));
        cache.put(1, 1);
        std::thread::sleep(Duration::from_millis(2));
        assert_eq!(cache.get(&1), None, "expired");
        let lasting: WarmCache<u32, u32> = WarmCache::new(8, Some(Duration::from_secs(3600)));
        lasting.put(1, 1);
        assert_eq!(lasting.get(&1), Some(1));
        lasting.forget(&1);
        assert_eq!(lasting.get(&1), None, "forgotten");
        assert!(lasting.is_empty());
    }

    #[test]
    fn a_reader_asking_for_a_recent_value_gets_it_only_within_its_age_and_the_caches() {
        let cache: WarmCache<u32, u32> = WarmCache::new(8, Some(Duration::from_secs(3600)));
        cache.put(1, 1);
        assert_eq!(cache.get_within(&1, Duration::from_secs(60)), Some(1), "kept a moment ago");
        std::thread::sleep(Duration::from_millis(5));
        assert_eq!(cache.get_within(&1, Duration::from_millis(1)), None, "older than the reader allows");
        assert_eq!(cache.get(&1), Some(1), "still kept for readers who allow more");
        let short: WarmCache<u32, u32> = WarmCache::new(8, Some(Duration::ZERO));
        short.put(1, 1);
        std::thread::sleep(Duration::from_millis(2));
        assert_eq!(short.get_within(&1, Duration::from_secs(60)), None, "the cache's own age limit holds too");
        assert_eq!(cache.get_within(&2, Duration::from_secs(60)), None);
    }
}
