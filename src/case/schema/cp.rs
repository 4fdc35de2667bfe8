//! The `cp` construction of a case file, `X = sum_a lambda_a v_1^a (x) ... (x) v_d^a`: its rank R
//! (`rank`, an expression in the parameters and lets), the factor entries
//! (`[construction.cores] factor`, in the term a, the mode k and the index i) and the optional
//! weights (`lambda`, in a); and the keys of a `cp-rank-upper-bound` claim. Parsing and the
//! uses of names only; `instance` evaluates them.

use super::{key_start, name_use, ClaimSpec, ConstructionSpec, Reader};
use crate::case::InputError;
use toml_edit::Table;

impl Reader<'_> {
    /// `[construction]` of kind `cp`: `rank`, and `factor` and `lambda` in `[construction.cores]`.
    pub(super) fn cp(&self, table: &Table, offset: usize) -> Result<ConstructionSpec, InputError> {
        if table.contains_key("ranks") {
            return Err(self.error(
                key_start(table, "ranks"),
                "a 'cp' construction has one rank, 'rank' (the number of terms R); 'ranks' gives the bonds of kind 'tt'",
            ));
        }
        let (cores, cores_at) = self.cores_table(table, offset)?;
        self.only_keys(
            cores,
            &["factor", "lambda"],
            "[construction.cores] of a 'cp' construction",
        )?;
        let rank = self.expr(table, "a 'cp' construction", "rank", offset)?;
        let factor = self.expr(cores, "[construction.cores]", "factor", cores_at)?;
        let lambda = cores
            .get("lambda")
            .map(|item| self.expr_item(item, "lambda"))
            .transpose()?;
        if let Some(lambda) = &lambda {
            if let Some((index, at)) = ["i", "k"]
                .into_iter()
                .find_map(|index| Some((index, name_use(lambda, index)?)))
            {
                return Err(self.error(
                    at,
                    format!("the weight lambda_a belongs to the whole term a, so it cannot use the index '{index}' of a factor; put what depends on {index} into 'factor'"),
                ));
            }
        }
        Ok(ConstructionSpec::Cp { rank, factor, lambda })
    }

    /// A `cp-rank-upper-bound` claim: `at-most`, and optionally `matricization` or `rows` for
    /// the lower bound of Lemma 1.
    pub(super) fn cp_rank_upper_bound(
        &self,
        table: &Table,
        place: &str,
        offset: usize,
    ) -> Result<ClaimSpec, InputError> {
        let matricization = if table.contains_key("matricization") || table.contains_key("rows") {
            Some(self.matricization(table, offset)?)
        } else {
            None
        };
        Ok(ClaimSpec::CpRankUpperBound {
            matricization,
            bound: self.expr(table, place, "at-most", offset)?,
        })
    }

    /// On random cores an upper bound on the CP-rank is the bound every draw has; the rank of a
    /// matricization of one draw is a generic lower bound of another kind, which this claim does
    /// not take there.
    pub(super) fn upper_bound_applies(
        &self,
        spec: &ClaimSpec,
        construction: &ConstructionSpec,
        table: &Table,
    ) -> Result<(), InputError> {
        let (
            ClaimSpec::CpRankUpperBound {
                matricization: Some(_), ..
            },
            ConstructionSpec::Random { kind, .. },
        ) = (spec, construction)
        else {
            return Ok(());
        };
        let key = if table.contains_key("rows") {
            "rows"
        } else {
            "matricization"
        };
        Err(self.error(
            key_start(table, key),
            format!(
                "on '{}' cores a cp-rank-upper-bound claim is decided by the bound every draw has; its lower side is a generic rank, claimed by a 'cp-rank-lower-bound' claim, so give no '{key}' here",
                kind.name()
            ),
        ))
    }
}
