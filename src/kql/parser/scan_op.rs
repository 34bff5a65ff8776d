//! `scan [with_match_id=Id] [order by ...] [partition by ...] [declare (...)]
//! with (step ...; ...)` (scan-operator.md; the clause order is the one
//! Microsoft's parser accepts).

use super::{PResult, Parser};
use crate::kql::ast::{OpKind, Scan, ScanDeclare, ScanOutput, ScanStep};
use crate::kql::error::KqlError;
use crate::kql::lexer::Sym;

impl Parser<'_> {
    /// The body of a `scan` operator; the cursor is after the word `scan`.
    pub(super) fn scan_op(&mut self) -> PResult<OpKind> {
        let match_id = match self.eat_param("with_match_id") {
            true => Some(self.ident("the match id column's name after 'with_match_id='")?),
            false => None,
        };
        let mut order = Vec::new();
        if self.at_word("order") && self.nth_is_word(1, "by") {
            self.pos += 2;
            order.push(self.sort_key()?);
            while self.eat_sym(Sym::Comma).is_some() {
                order.push(self.sort_key()?);
            }
        }
        let mut partition = Vec::new();
        if self.at_word("partition") && self.nth_is_word(1, "by") {
            self.pos += 2;
            partition.push(self.expr()?);
            while self.eat_sym(Sym::Comma).is_some() {
                partition.push(self.expr()?);
            }
        }
        let mut declare = Vec::new();
        if self.eat_word("declare").is_some() {
            let open = self.expect_sym(Sym::LParen, "after 'declare'")?;
            loop {
                let name = self.ident("a column name to declare")?;
                self.expect_sym(Sym::Colon, &format!("after the declared column '{}'", name.name))?;
                let dtype = self.type_name()?;
                let default = match self.eat_sym(Sym::Eq) {
                    Some(_) => Some(self.expr()?),
                    None => None,
                };
                declare.push(ScanDeclare { name, dtype, default });
                if self.eat_sym(Sym::Comma).is_none() {
                    break;
                }
            }
            self.expect_close(Sym::RParen, open)?;
        }
        self.expect_word("with", "before the scan steps")?;
        let open = self.expect_sym(Sym::LParen, "to start the scan steps")?;
        let mut steps: Vec<ScanStep> = Vec::new();
        while !self.at_sym(Sym::RParen) {
            let step = self.scan_step()?;
            if steps.iter().any(|s| s.name.name == step.name.name) {
                return Err(KqlError::duplicate_name(
                    step.name.span,
                    format!("the scan step name '{}' is used twice", step.name.name),
                ));
            }
            steps.push(step);
            // The last step's `;` may be left out.
            if self.eat_sym(Sym::Semi).is_none() {
                break;
            }
        }
        if steps.is_empty() {
            return Err(self.expected("'step Name: Condition;'"));
        }
        self.expect_close(Sym::RParen, open)?;
        Ok(OpKind::Scan(Box::new(Scan { match_id, order, partition, declare, steps })))
    }

    /// `step Name [output=all|last|none]: Condition [=> Col = expr, ...]`.
    fn scan_step(&mut self) -> PResult<ScanStep> {
        self.expect_word("step", "to start a scan step")?;
        let name = self.ident("the step's name after 'step'")?;
        let output = match self.eat_param("output") {
            true if self.eat_word("all").is_some() => ScanOutput::All,
            true if self.eat_word("last").is_some() => ScanOutput::Last,
            true if self.eat_word("none").is_some() => ScanOutput::None,
            true => return Err(self.expected("'all', 'last' or 'none' after 'output='")),
            false => ScanOutput::All,
        };
        self.expect_sym(Sym::Colon, &format!("after the step name '{}'", name.name))?;
        let condition = self.nested(|p| p.expr())?;
        let mut assign = Vec::new();
        if self.eat_sym(Sym::Arrow).is_some() {
            loop {
                let col = self.ident("a column to assign after '=>'")?;
                self.expect_sym(Sym::Eq, &format!("after '{}' in the step's assignments", col.name))?;
                assign.push((col, self.nested(|p| p.expr())?));
                if self.eat_sym(Sym::Comma).is_none() {
                    break;
                }
            }
        }
        Ok(ScanStep { name, output, condition, assign })
    }
}
