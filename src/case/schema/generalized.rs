//! The `generalized` construction of a case file: the operator `xi`, the feature matrix
//! (`[construction.features]`), the network the claims are about (`[construction.network]`) and
//! the named networks they compare it with (`[construction.compare.NAME]`, in file order, each
//! able to use the ones before it). Parsing and name checks only; `instance` builds them.

use super::{key_start, span_start, EntryLimits, Located, Reader};
use crate::case::InputError;
use crate::draw::Entries;
use crate::network::generalized::{ProductVariant, Xi};
use toml_edit::{Item, Table, TableLike};

/// A random draw's seed, with how its entries are distributed.
#[derive(Clone, Debug)]
pub struct DrawSpec {
    pub seed: u64,
    pub entries: Entries,
}

/// A seeded perturbation: every entry `x` becomes `x + epsilon u`, `u = p / 1000`, `p` uniform in
/// `[-1000, 1000]`.
#[derive(Clone, Debug)]
pub struct Perturbation {
    pub epsilon: Located,
    pub seed: u64,
}

#[derive(Clone, Debug)]
pub enum FeaturesSpec {
    /// `F = I` (templates `x_m = e_m`).
    Identity,
    /// `F[i, m]` (template i, feature m) by an expression in `i` and `m`.
    Explicit(Located),
    /// `F = ReLU(A)`, `A` drawn.
    ReluRandom(DrawSpec),
}

#[derive(Clone, Debug)]
pub enum TensorSpec {
    /// `H[i_1..i_T]` by an expression using `idx(t)`.
    Expr(Located),
    Random(DrawSpec),
}

/// A reference to a named network, with where it is written.
pub type NameRef = (String, usize);

#[derive(Clone, Debug)]
pub enum NetworkSpec {
    /// Explicit cores: `ranks` (in k = 1..T-1), `widths` (in k = 1..T), `c` (in i, m, k) and `g`
    /// (in i, a, b, k).
    Rnn {
        ranks: Located,
        widths: Located,
        c: Located,
        g: Located,
    },
    /// Explicit shallow network: `width`, `lambda` (in a), `v` (in a, m, k).
    Shallow {
        width: Located,
        lambda: Located,
        v: Located,
    },
    /// `C^t` and `G^t` drawn; `shared`: one inner core `G^2 = ... = G^{T-1}` (and `C^t`).
    RandomRnn {
        ranks: Located,
        widths: Located,
        draw: DrawSpec,
        shared: bool,
    },
    /// Lemma 3: `sum_n w_n` times the named RNNs.
    Sum { of: Vec<NameRef>, weights: Vec<Located> },
    /// Prop. 3.8.4: the named shallow network as an RNN.
    RnnOf { of: NameRef },
    /// Lemma 4: the one-hot tensor at `j_k = at(k)`, as a shallow network or an RNN.
    OneHot { at: Located, as_rnn: bool },
    /// Theorem 3 (rectifier) or Prop. 3.8.5 (product): a network whose grid tensor is `H`.
    Universal {
        tensor: TensorSpec,
        as_rnn: bool,
        variant: ProductVariant,
    },
    /// Theorem 5's RNN of rank `rank`, optionally perturbed.
    ExpressivityII {
        rank: Located,
        perturb: Option<Perturbation>,
    },
    /// Theorem 5's rank-1 shallow network for the grid tensor of the named network.
    FirstModeShallow { of: NameRef },
}

impl NetworkSpec {
    /// Whether building the network inverts the feature matrix F.
    pub fn inverts_features(&self) -> bool {
        matches!(
            self,
            NetworkSpec::OneHot { .. }
                | NetworkSpec::Universal { .. }
                | NetworkSpec::ExpressivityII { .. }
                | NetworkSpec::FirstModeShallow { .. }
        )
    }
}

#[derive(Clone, Debug)]
pub struct Named {
    pub spec: NetworkSpec,
    /// Where the network's table starts.
    pub offset: usize,
}

#[derive(Clone, Debug)]
pub struct GeneralizedSpec {
    pub xi: Xi,
    pub features: FeaturesSpec,
    pub features_perturb: Option<Perturbation>,
    pub features_offset: usize,
    pub network: Named,
    pub compare: Vec<(String, Named)>,
}

/// The keys of a `generalized` construction that are not parameters.
pub const KEYS: [&str; 5] = ["kind", "xi", "features", "network", "compare"];

/// The entries of drawn features, cores and tensors: small enough for exact grid tensors.
const DRAWN_ENTRIES: EntryLimits = EntryLimits {
    example: "[-3, 3]",
    magnitude: 1 << 40,
    integers_need: "'integers = [lo, hi]' needs lo <= hi, both of size at most 2^40",
    numerators: 1..=1 << 40,
    denominators: 1..=1 << 20,
    fractions_need: "'fractions = [p, q]' needs 1 <= p <= 2^40 and 1 <= q <= 2^20",
};

/// The kinds of `[construction.network]` and `[construction.compare.NAME]` tables.
#[derive(Clone, Copy)]
enum NetworkKind {
    Rnn,
    Shallow,
    RandomRnn,
    Sum,
    RnnOf,
    OneHot,
    Universal,
    ExpressivityII,
    FirstModeShallow,
}

/// Every network kind with its name and the keys its table takes besides `kind`, in the order
/// messages list them.
const NETWORK_KINDS: [(&str, NetworkKind, &[&str]); 9] = [
    ("rnn", NetworkKind::Rnn, &["ranks", "widths", "c", "g"]),
    ("shallow", NetworkKind::Shallow, &["width", "lambda", "v"]),
    (
        "random-rnn",
        NetworkKind::RandomRnn,
        &["ranks", "widths", "seed", "integers", "fractions", "shared"],
    ),
    ("sum", NetworkKind::Sum, &["of", "weights"]),
    ("rnn-of", NetworkKind::RnnOf, &["of"]),
    ("one-hot", NetworkKind::OneHot, &["at", "as"]),
    (
        "universal",
        NetworkKind::Universal,
        &["tensor", "seed", "integers", "fractions", "as", "variant"],
    ),
    (
        "expressivity-ii",
        NetworkKind::ExpressivityII,
        &["rank", "epsilon", "seed"],
    ),
    ("first-mode-shallow", NetworkKind::FirstModeShallow, &["of"]),
];

/// The entries drawn by default: small integers, so that exact grid tensors stay small.
const SMALL_INTEGERS: Entries = Entries::Integers { lo: -3, hi: 3 };

impl Reader<'_> {
    pub(super) fn generalized(&self, table: &Table, offset: usize) -> Result<GeneralizedSpec, InputError> {
        let (name, at) = self.string(table, "construction", "xi", offset)?;
        let xi = Xi::from_name(&name).ok_or_else(|| {
            let names: Vec<&str> = Xi::ALL.iter().map(|x| x.name()).collect();
            self.error(
                at,
                format!("unknown operator xi = '{name}'; known: {}", names.join(", ")),
            )
        })?;
        if !xi.is_exact() {
            return Err(self.error(
                at,
                format!("{} is computed in floating point only, and claims here are decided exactly; its ranks are reported as numeric estimates by `tnproof expressivity`", xi.formula()),
            ));
        }
        let (features, features_perturb, features_offset) = match table.get("features") {
            None => (FeaturesSpec::Identity, None, offset),
            Some(item) => self.features(item)?,
        };
        let network_item = table.get("network").ok_or_else(|| {
            self.error(
                offset,
                "a generalized construction needs a [construction.network] table: the network the claims are about",
            )
        })?;
        let network = self.network(network_item, "[construction.network]")?;
        let compare = match table.get("compare") {
            None => Vec::new(),
            Some(item) => self.compare(item)?,
        };
        Ok(GeneralizedSpec {
            xi,
            features,
            features_perturb,
            features_offset,
            network,
            compare,
        })
    }

    /// `[construction.features]`: the feature matrix, its perturbation, and where it starts.
    fn features(&self, item: &Item) -> Result<(FeaturesSpec, Option<Perturbation>, usize), InputError> {
        let (t, at) = self.sub_table(item, "features", "[construction.features]")?;
        self.only_keys(
            t,
            &[
                "kind",
                "entry",
                "seed",
                "integers",
                "fractions",
                "epsilon",
                "perturb-seed",
            ],
            "[construction.features]",
        )?;
        let (kind, kind_at) = self.string(t, "construction.features", "kind", at)?;
        let spec = match kind.as_str() {
            "identity" => FeaturesSpec::Identity,
            "explicit" => FeaturesSpec::Explicit(self.expr(t, "explicit features", "entry", at)?),
            "relu-random" => FeaturesSpec::ReluRandom(self.draw(t, "relu-random features", at, SMALL_INTEGERS)?),
            other => {
                return Err(self.error(
                    kind_at,
                    format!("unknown features kind '{other}'; known: identity, explicit, relu-random"),
                ))
            }
        };
        let perturb = self.perturbation(t, "epsilon", "perturb-seed")?;
        Ok((spec, perturb, at))
    }

    /// `[construction.compare.NAME]`, in file order, each name a word starting with a letter.
    fn compare(&self, item: &Item) -> Result<Vec<(String, Named)>, InputError> {
        let (t, _) = self.sub_table(item, "compare", "[construction.compare.NAME]")?;
        let mut compare = Vec::new();
        for (name, item) in t.iter() {
            if !name.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
                || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            {
                return Err(self.error(
                    key_start(t, name),
                    format!("'{name}' cannot name a network: use letters, digits and '_', starting with a letter"),
                ));
            }
            compare.push((
                name.to_string(),
                self.network(item, &format!("[construction.compare.{name}]"))?,
            ));
        }
        Ok(compare)
    }

    fn sub_table<'t>(
        &self,
        item: &'t Item,
        key: &str,
        written: &str,
    ) -> Result<(&'t dyn TableLike, usize), InputError> {
        match item.as_table_like() {
            Some(t) => Ok((t, span_start(item))),
            None => Err(self.error(
                span_start(item),
                format!("'{key}' must be a table: write it as {written}"),
            )),
        }
    }

    fn seed(&self, t: &dyn TableLike, key: &str, place: &str, offset: usize) -> Result<u64, InputError> {
        let item = t.get(key).ok_or_else(|| {
            self.error(
                offset,
                format!(
                    "{place} needs '{key}' (a non-negative integer): the same seed draws the same entries everywhere"
                ),
            )
        })?;
        item.as_integer()
            .and_then(|v| u64::try_from(v).ok())
            .ok_or_else(|| self.error(span_start(item), format!("'{key}' must be a non-negative integer")))
    }

    /// `seed` and `integers = [lo, hi]` or `fractions = [p, q]`.
    fn draw(&self, t: &dyn TableLike, place: &str, offset: usize, default: Entries) -> Result<DrawSpec, InputError> {
        let seed = self.seed(t, "seed", place, offset)?;
        let entries = self.entries(t, default, &DRAWN_ENTRIES)?;
        Ok(DrawSpec { seed, entries })
    }

    fn perturbation(&self, t: &dyn TableLike, epsilon: &str, seed: &str) -> Result<Option<Perturbation>, InputError> {
        match (t.get(epsilon), t.get(seed)) {
            (None, None) => Ok(None),
            (Some(item), Some(_)) => Ok(Some(Perturbation {
                epsilon: self.expr_item(item, epsilon)?,
                seed: self.seed(t, seed, "a perturbation", 0)?,
            })),
            (Some(item), None) => Err(self.error(
                span_start(item),
                format!("a perturbation '{epsilon}' needs '{seed}' too"),
            )),
            (None, Some(item)) => Err(self.error(
                span_start(item),
                format!("'{seed}' seeds the perturbation of size '{epsilon}'; give that too"),
            )),
        }
    }

    /// One network table: its kind, then the keys that kind takes.
    fn network(&self, item: &Item, place: &str) -> Result<Named, InputError> {
        let (t, offset) = self.sub_table(item, "network", place)?;
        let (name, kind_at) = self.string(t, place, "kind", offset)?;
        let Some(&(_, kind, keys)) = NETWORK_KINDS.iter().find(|(n, _, _)| *n == name) else {
            return Err(self.unknown_kind("network", &name, kind_at, &NETWORK_KINDS.map(|(n, _, _)| n)));
        };
        let what = format!("a '{name}' network");
        let allowed: Vec<&str> = std::iter::once("kind").chain(keys.iter().copied()).collect();
        self.only_keys(t, &allowed, &what)?;
        let expr = |key: &str| self.expr(t, &what, key, offset);
        let spec = match kind {
            NetworkKind::Rnn => NetworkSpec::Rnn {
                ranks: expr("ranks")?,
                widths: expr("widths")?,
                c: expr("c")?,
                g: expr("g")?,
            },
            NetworkKind::Shallow => NetworkSpec::Shallow {
                width: expr("width")?,
                lambda: expr("lambda")?,
                v: expr("v")?,
            },
            NetworkKind::RandomRnn => NetworkSpec::RandomRnn {
                ranks: expr("ranks")?,
                widths: expr("widths")?,
                draw: self.draw(t, &what, offset, SMALL_INTEGERS)?,
                shared: match t.get("shared") {
                    None => false,
                    Some(item) => item
                        .as_bool()
                        .ok_or_else(|| self.error(span_start(item), "'shared' must be true or false"))?,
                },
            },
            NetworkKind::Sum => self.sum(t, &what, offset)?,
            NetworkKind::RnnOf => NetworkSpec::RnnOf {
                of: self.string(t, &what, "of", offset)?,
            },
            NetworkKind::FirstModeShallow => NetworkSpec::FirstModeShallow {
                of: self.string(t, &what, "of", offset)?,
            },
            NetworkKind::OneHot => NetworkSpec::OneHot {
                at: expr("at")?,
                as_rnn: self.as_rnn(t, false)?,
            },
            NetworkKind::Universal => self.universal(t, &what, offset)?,
            NetworkKind::ExpressivityII => NetworkSpec::ExpressivityII {
                rank: expr("rank")?,
                perturb: self.perturbation(t, "epsilon", "seed")?,
            },
        };
        Ok(Named { spec, offset })
    }

    /// `as = "rnn"` or `"shallow"`: the form a construction is built in.
    fn as_rnn(&self, t: &dyn TableLike, default: bool) -> Result<bool, InputError> {
        match t.get("as") {
            None => Ok(default),
            Some(item) => match item.as_str() {
                Some("rnn") => Ok(true),
                Some("shallow") => Ok(false),
                _ => Err(self.error(span_start(item), "'as' must be \"rnn\" or \"shallow\"")),
            },
        }
    }

    /// A `sum` network: the names in `of`, with as many expressions in `weights`.
    fn sum(&self, t: &dyn TableLike, what: &str, offset: usize) -> Result<NetworkSpec, InputError> {
        let list = |key: &str| -> Result<Vec<(&toml_edit::Value, usize)>, InputError> {
            let item = t
                .get(key)
                .ok_or_else(|| self.error(offset, format!("{what} needs '{key}'")))?;
            let array = item
                .as_array()
                .ok_or_else(|| self.error(span_start(item), format!("'{key}' must be a list")))?;
            Ok(array
                .iter()
                .map(|v| (v, v.span().map_or(span_start(item), |s| s.start)))
                .collect())
        };
        let of = list("of")?
            .into_iter()
            .map(|(v, at)| {
                v.as_str()
                    .map(|s| (s.to_string(), at + 1))
                    .ok_or_else(|| self.error(at, "'of' lists network names, as strings"))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let weights = list("weights")?
            .into_iter()
            .map(|(v, at)| {
                let text = v
                    .as_str()
                    .map(str::to_string)
                    .or_else(|| v.as_integer().map(|i| i.to_string()));
                let text = text.ok_or_else(|| self.error(at, "'weights' are expressions, as strings"))?;
                crate::expr::Expr::parse(&text)
                    .map(|expr| Located {
                        expr,
                        offset: at + 1,
                        verbatim: false,
                    })
                    .map_err(|e| self.error(at, e.message))
            })
            .collect::<Result<Vec<_>, _>>()?;
        if of.is_empty() || of.len() != weights.len() {
            return Err(self.error(
                offset,
                format!("{what} needs as many 'weights' as networks in 'of', at least one"),
            ));
        }
        Ok(NetworkSpec::Sum { of, weights })
    }

    /// A `universal` network: the tensor `H` (an expression or drawn), its form and, for
    /// xi = product, which index order of Prop. 3.8.5.
    fn universal(&self, t: &dyn TableLike, what: &str, offset: usize) -> Result<NetworkSpec, InputError> {
        let tensor = match t.get("tensor") {
            Some(item) if item.as_str() == Some("random") => {
                TensorSpec::Random(self.draw(t, what, offset, SMALL_INTEGERS)?)
            }
            Some(item) => TensorSpec::Expr(self.expr_item(item, "tensor")?),
            None => {
                return Err(self.error(
                    offset,
                    format!("{what} needs 'tensor': an expression using idx(t), or \"random\" with a 'seed'"),
                ))
            }
        };
        let variant = match t.get("variant") {
            None => ProductVariant::Corrected,
            Some(item) => match item.as_str() {
                Some("printed") => ProductVariant::Printed,
                Some("corrected") => ProductVariant::Corrected,
                _ => {
                    return Err(self.error(
                        span_start(item),
                        "'variant' must be \"printed\" or \"corrected\" (Prop. 3.8.5's index order)",
                    ))
                }
            },
        };
        Ok(NetworkSpec::Universal {
            tensor,
            as_rnn: self.as_rnn(t, true)?,
            variant,
        })
    }
}

impl GeneralizedSpec {
    /// Every expression with the index names its place binds, for the case's name check.
    pub fn expressions(&self) -> Vec<(&Located, &'static [&'static str])> {
        let mut out: Vec<(&Located, &'static [&'static str])> = Vec::new();
        if let FeaturesSpec::Explicit(e) = &self.features {
            out.push((e, &["i", "m"]));
        }
        if let Some(p) = &self.features_perturb {
            out.push((&p.epsilon, &[]));
        }
        for named in std::iter::once(&self.network).chain(self.compare.iter().map(|(_, n)| n)) {
            match &named.spec {
                NetworkSpec::Rnn { ranks, widths, c, g } => {
                    out.extend([
                        (ranks, &["k"][..]),
                        (widths, &["k"][..]),
                        (c, &["i", "m", "k"][..]),
                        (g, &["i", "a", "b", "k"][..]),
                    ]);
                }
                NetworkSpec::Shallow { width, lambda, v } => {
                    out.extend([(width, &[][..]), (lambda, &["a"][..]), (v, &["a", "m", "k"][..])])
                }
                NetworkSpec::RandomRnn { ranks, widths, .. } => out.extend([(ranks, &["k"][..]), (widths, &["k"][..])]),
                NetworkSpec::Sum { weights, .. } => out.extend(weights.iter().map(|w| (w, &[][..]))),
                NetworkSpec::OneHot { at, .. } => out.push((at, &["k"])),
                NetworkSpec::Universal {
                    tensor: TensorSpec::Expr(e),
                    ..
                } => out.push((e, &[])),
                NetworkSpec::ExpressivityII { rank, perturb } => {
                    out.push((rank, &[]));
                    if let Some(p) = perturb {
                        out.push((&p.epsilon, &[]));
                    }
                }
                NetworkSpec::RnnOf { .. } | NetworkSpec::FirstModeShallow { .. } | NetworkSpec::Universal { .. } => {}
            }
        }
        out
    }

    /// The names a grid claim's expression may use besides parameters and `let`s: the compared
    /// networks (their grid entries) and, for a universality construction, `H`.
    pub fn claim_names(&self) -> Vec<&str> {
        let mut names: Vec<&str> = self.compare.iter().map(|(n, _)| n.as_str()).collect();
        if matches!(self.network.spec, NetworkSpec::Universal { .. }) {
            names.push("H");
        }
        names
    }
}
