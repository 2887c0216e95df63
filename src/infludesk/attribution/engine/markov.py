"""Exact first-order Markov removal effects (Anderl et al. 2016), by absorbing-chain algebra.

States: 0 = start, 1..K = channels, K+1 = conversion, K+2 = null. A path c1 > ... > cm with
`conv` conversions and `null` nulls adds conv + null to start -> c1 and to each c_i -> c_i+1,
conv to c_m -> conversion and null to c_m -> null. Row-normalising the counts gives the
transition probabilities; Q is the part among transient states (start and channels), r the
one-step probability of conversion.

P(conversion from state i) is x = (I - Q)^-1 r, and P(conversion) = x[start]. Removing channel
c sends every transition into c to null, so P(conversion without c) is the probability of
converting without ever visiting c. By the strong Markov property

    P(conv) = P(conv without c) + P(visit c) * x[c],   P(visit c) = G[start, c] / G[c, c]

where G = (I - Q)^-1 is the fundamental matrix (expected visits). Hence

    RE(c) = 1 - P(conv without c) / P(conv) = G[start, c] * x[c] / (G[c, c] * x[start])

which needs one sparse LU factorisation of I - Q, one solve for x, one transposed solve for the
row G[start, :] and the diagonal of G (solves against unit vectors, in blocks) -- exact up to
floating point, with no Monte-Carlo and no per-channel refactorisation.
Credit(c) = total conversions x RE(c) / sum RE, value likewise.

Repeated consecutive channels (A > A): ChannelAttribution's markov_model collapses them when it
builds its first-order paths (so its chain has no self-loops), and marketing-attribution-models
drops self-transitions by default. We drop them too. It changes no result: a self-loop only adds
to the diagonal of the counts, and a state's exit probabilities conditional on leaving it -- which
alone decide absorption and visit probabilities -- stay the same.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
import scipy.sparse.linalg as spla

from infludesk.attribution.engine.paths import FloatArray, PathTable

# Below this many states the counts are built with one bincount over a dense S x S grid.
_DENSE_STATES = 2048
_DIAG_BLOCK = 256


@dataclass(frozen=True)
class MarkovResult:
    conversion_probability: float
    removal_effects: FloatArray
    credit: FloatArray
    value: FloatArray


def transition_counts(table: PathTable, *, self_loops: bool = False) -> sp.csr_matrix:
    """Weighted transition counts between the K + 3 states, as a sparse matrix."""
    k = table.n_channels
    n_states = k + 3
    conv_state, null_state = k + 1, k + 2
    total = table.conversions + table.nulls
    first = table.offsets[:-1]
    last = table.offsets[1:] - 1
    path_of_touch = table.touch_path
    # A touch has a successor inside its path unless it is the path's last touch.
    inner = np.ones(len(table.touches), dtype=bool)
    inner[last] = False
    inner_idx = np.flatnonzero(inner)
    src = np.concatenate(
        [
            np.zeros(table.n_paths, dtype=np.int64),
            table.touches[inner_idx] + 1,
            table.touches[last] + 1,
            table.touches[last] + 1,
        ]
    )
    dst = np.concatenate(
        [
            table.touches[first] + 1,
            table.touches[inner_idx + 1] + 1,
            np.full(table.n_paths, conv_state),
            np.full(table.n_paths, null_state),
        ]
    )
    weight = np.concatenate(
        [total, total[path_of_touch[inner_idx]], table.conversions, table.nulls]
    )
    keep = weight > 0
    if not self_loops:
        keep &= src != dst
    src, dst, weight = src[keep], dst[keep], weight[keep]
    keys = src * n_states + dst
    if n_states <= _DENSE_STATES:
        dense = np.bincount(keys, weights=weight, minlength=n_states * n_states)
        nz = np.flatnonzero(dense)
        uniq = nz
        sums = dense[nz]
    else:
        found = np.unique(keys, return_inverse=True)
        uniq = found[0]
        sums = np.bincount(found[1].reshape(-1), weights=weight, minlength=len(uniq))
    return sp.csr_matrix(
        (sums, (uniq // n_states, uniq % n_states)), shape=(n_states, n_states), dtype=np.float64
    )


def markov(table: PathTable) -> MarkovResult:
    """Removal effects and credits of the exact first-order Markov model (see module doc)."""
    k = table.n_channels
    counts = transition_counts(table)
    n_transient = k + 1
    out = np.asarray(counts.sum(axis=1), dtype=np.float64).ravel()[:n_transient]
    inv_out = np.divide(1.0, out, out=np.zeros_like(out), where=out > 0)
    probs = sp.diags(inv_out) @ counts[:n_transient]
    q = probs[:, :n_transient]
    r = np.asarray(probs[:, k + 1].todense()).ravel()
    zero = np.zeros(k)
    if r.sum() == 0:
        return MarkovResult(0.0, zero, zero.copy(), zero.copy())
    lu = spla.splu(sp.identity(n_transient, format="csc") - q.tocsc())
    x = lu.solve(r)
    unit = np.zeros(n_transient)
    unit[0] = 1.0
    visits_from_start = lu.solve(unit, trans="T")
    diag = _inverse_diagonal(lu, n_transient)
    p_conv = float(x[0])
    if p_conv <= 0:
        return MarkovResult(0.0, zero, zero.copy(), zero.copy())
    re = visits_from_start[1:] / diag[1:] * x[1:] / p_conv
    re = np.clip(re, 0.0, 1.0)
    share = re / re.sum()
    return MarkovResult(
        conversion_probability=p_conv,
        removal_effects=re,
        credit=share * table.conversions.sum(),
        value=share * table.values.sum(),
    )


def _inverse_diagonal(lu: spla.SuperLU, n: int) -> FloatArray:
    """diag((I - Q)^-1) by solving against blocks of unit vectors."""
    diag = np.empty(n)
    for start in range(0, n, _DIAG_BLOCK):
        stop = min(start + _DIAG_BLOCK, n)
        rhs = np.zeros((n, stop - start))
        rhs[np.arange(start, stop), np.arange(stop - start)] = 1.0
        sol = lu.solve(rhs)
        diag[start:stop] = sol[np.arange(start, stop), np.arange(stop - start)]
    return diag
