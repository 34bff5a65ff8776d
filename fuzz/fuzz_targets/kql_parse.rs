//! KQL lexer and parser: any text lexes and parses to a tree or an error
//! (never a panic or stack overflow), and a tree that parses prints to text
//! that parses back and prints the same (the printer's fixed point).
#![no_main]

use kqlhunt::kql;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(src) = std::str::from_utf8(data) else { return };
    let _ = kql::lexer::lex(src);
    let _ = kql::parse_expr(src);
    if let Ok(q) = kql::parse(src) {
        let printed = kql::print::query(&q);
        let again = match kql::parse(&printed) {
            Ok(q) => q,
            // The printer parenthesises chained unary operators (Kusto rejects
            // `+ +x`), so a source just under the nesting limit may print
            // over it: a limit, not a round-trip defect.
            Err(e) if e.message.contains("nests too deeply") => return,
            Err(e) => panic!("printed query does not parse: {e:?}\n--- source\n{src}\n--- printed\n{printed}"),
        };
        assert_eq!(printed, kql::print::query(&again), "printing is not a fixed point for {src:?}");
    }
});
