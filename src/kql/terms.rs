//! Kusto's term rules, the basis of `has`, `hasprefix`, `hassuffix`,
//! `has_any` and `has_all` (see `kql-semantics.md` §1–4).
