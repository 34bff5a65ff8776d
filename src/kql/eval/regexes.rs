//! Compiled regexes, cached by pattern: shared by the `matches regex`
//! operator (`ops`) and the regex functions (`functions`).

use std::sync::Arc;

/// A cache of compiled regexes (patterns are usually constants).
#[derive(Debug, Default)]
pub struct RegexCache {
    map: std::cell::RefCell<rustc_hash::FxHashMap<String, Arc<regex::Regex>>>,
}

/// Largest compiled regex kqlhunt accepts (bytes), so hostile patterns stay bounded.
pub const REGEX_SIZE_LIMIT: usize = 1 << 20;

impl RegexCache {
    /// The compiled regex for `pattern` (RE2 syntax, linear-time matching).
    pub fn get(&self, pattern: &str) -> Result<Arc<regex::Regex>, String> {
        if let Some(r) = self.map.borrow().get(pattern) {
            return Ok(r.clone());
        }
        let re = regex::RegexBuilder::new(pattern)
            .size_limit(REGEX_SIZE_LIMIT)
            .build()
            .map_err(|e| format!("invalid regex: {e}"))?;
        let re = Arc::new(re);
        self.map.borrow_mut().insert(pattern.to_string(), re.clone());
        Ok(re)
    }
}
