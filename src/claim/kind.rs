//! The claim kinds a case file can name: each kind's name, the keys its `[[claim]]` table takes
//! and what it is about, which fixes the constructions it applies to. One table serves the
//! schema (parsing, validation, messages), `Claim::kind` and the reports; deciding a claim is
//! its own module's job.

/// A kind of claim, as named by `kind = "..."` in a `[[claim]]` table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClaimKind {
    IdentitySubmatrix,
    MatricizationRank,
    TtRanks,
    HtRanks,
    SupportStructure,
    CpRankLowerBound,
    CpRankUpperBound,
    GridTensorEqual,
    GridPattern,
    ShallowWidthLowerBound,
    Conversion,
}

/// What a claim kind is about, and so the constructions it applies to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Subject {
    /// The cores of a tensor train given exactly (`tt`, `tt-equal`).
    TrainCores,
    /// The grid tensor of a generalized network (`generalized` only).
    GridTensor,
    /// A rank of the tensor, whatever network gives it; on random cores, the generic rank.
    Rank,
    /// The network as another kind of network (`tt`, `tt-equal`, `ht`, `cp`, exact or drawn).
    Network,
}

/// The keys of every `[[claim]]`, whatever its kind: the kind and what the case expects.
pub const COMMON_KEYS: [&str; 5] = ["kind", "expect", "holds-where", "fails-where", "undecided-where"];

impl ClaimKind {
    /// Every kind, in the order messages list them.
    pub const ALL: [ClaimKind; 11] = [
        ClaimKind::IdentitySubmatrix,
        ClaimKind::MatricizationRank,
        ClaimKind::TtRanks,
        ClaimKind::HtRanks,
        ClaimKind::SupportStructure,
        ClaimKind::CpRankLowerBound,
        ClaimKind::CpRankUpperBound,
        ClaimKind::GridTensorEqual,
        ClaimKind::GridPattern,
        ClaimKind::ShallowWidthLowerBound,
        ClaimKind::Conversion,
    ];

    /// The kind's name in case files and certificates.
    pub fn name(self) -> &'static str {
        self.row().0
    }

    pub fn subject(self) -> Subject {
        self.row().1
    }

    /// The keys a claim of this kind takes besides `COMMON_KEYS`.
    pub fn keys(self) -> &'static [&'static str] {
        self.row().2
    }

    /// The kind named `name`, if there is one.
    pub fn from_name(name: &str) -> Option<ClaimKind> {
        ClaimKind::ALL.into_iter().find(|k| k.name() == name)
    }

    /// The names of the kinds about each of `subjects` in turn, each group in `ALL` order.
    pub fn names_about(subjects: &[Subject]) -> Vec<&'static str> {
        subjects
            .iter()
            .flat_map(|&s| ClaimKind::ALL.into_iter().filter(move |k| k.subject() == s))
            .map(ClaimKind::name)
            .collect()
    }

    /// Everything about one kind: name, subject, keys.
    fn row(self) -> (&'static str, Subject, &'static [&'static str]) {
        const RANK: [&str; 7] = [
            "matricization",
            "rows",
            "at-least",
            "equal",
            "at-most",
            "numeric",
            "svd-rtol",
        ];
        const CP_RANK: [&str; 5] = ["matricization", "rows", "at-least", "numeric", "svd-rtol"];
        match self {
            ClaimKind::IdentitySubmatrix => (
                "identity-submatrix",
                Subject::TrainCores,
                &["matricization", "rows", "q"],
            ),
            ClaimKind::MatricizationRank => ("matricization-rank", Subject::Rank, &RANK),
            ClaimKind::TtRanks => ("tt-ranks", Subject::TrainCores, &["equal", "at-most"]),
            ClaimKind::HtRanks => ("ht-ranks", Subject::Rank, &["tree", "equal", "at-most"]),
            ClaimKind::SupportStructure => ("support-structure", Subject::TrainCores, &["path", "q"]),
            ClaimKind::CpRankLowerBound => ("cp-rank-lower-bound", Subject::Rank, &CP_RANK),
            ClaimKind::CpRankUpperBound => (
                "cp-rank-upper-bound",
                Subject::Rank,
                &["at-most", "matricization", "rows"],
            ),
            ClaimKind::GridTensorEqual => ("grid-tensor-equal", Subject::GridTensor, &["to"]),
            ClaimKind::GridPattern => ("grid-pattern", Subject::GridTensor, &["zero-where"]),
            ClaimKind::ShallowWidthLowerBound => ("shallow-width-lower-bound", Subject::GridTensor, &["at-least"]),
            ClaimKind::Conversion => ("conversion", Subject::Network, &["to", "tree", "at-most"]),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_is_found_by_its_name() {
        for kind in ClaimKind::ALL {
            assert_eq!(ClaimKind::from_name(kind.name()), Some(kind));
        }
        assert_eq!(ClaimKind::from_name("identity-submatrx"), None);
    }

    #[test]
    fn the_kinds_about_a_generalized_network() {
        assert_eq!(
            ClaimKind::names_about(&[Subject::GridTensor, Subject::Rank]).join(", "),
            "grid-tensor-equal, grid-pattern, shallow-width-lower-bound, matricization-rank, ht-ranks, cp-rank-lower-bound, cp-rank-upper-bound"
        );
    }
}
